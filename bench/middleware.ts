// The signing middleware's cost: the same GET route with and without it, and the session
// endpoint, against one in-process Nest app (target: the middleware keeps 0.85 or more of the
// bare route's throughput).
import 'reflect-metadata';
import { Controller, Get, Header, Module, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { signIdentity } from '@helperkit/core/node';
import { HelperCustomer, HelperModule, type HelperCustomerContext } from '@helperkit/nest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { compareHttp, printHttp } from './lib/http.js';
import { recordResults } from './lib/results.js';

const secret = 'bench-secret-0123456789abcdef0123456789';
const customer = { email: 'customer@example.com', name: 'Bench Customer', value: 1200 };

// A small server-rendered page (about 4 kB, as a real account page is at least), which embeds the
// signed identity for the widget as a host page would.
const pageBody = `<main>${'<p>Your orders, invoices and settings.</p>'.repeat(90)}</main>`;

@Controller()
class PageController {
  // One handler behind two paths, the middleware on one of them only: the difference between the
  // two is the middleware and the identity it adds to the page.
  @Get(['page', 'signed-page'])
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(@HelperCustomer() helper: HelperCustomerContext | null) {
    const identity = JSON.stringify(helper?.identity ?? null);
    return `<!doctype html><title>Account</title>${pageBody}<script>window.helperIdentity=${identity}</script>`;
  }
}

function signedSessionBody() {
  const { metadata, ...signed } = signIdentity(
    { email: customer.email, metadata: { value: customer.value } },
    secret,
  );
  return { ...signed, customerMetadata: metadata };
}

const dataDir = mkdtempSync(join(tmpdir(), 'helperkit-bench-'));

@Module({
  imports: [
    HelperModule.forRoot({
      hmacSecrets: [secret],
      adminGuard: { canActivate: () => true },
      database: join(dataDir, 'bench.sqlite'),
      // The host's lookup is a constant here: what is measured is helperkit's own work.
      resolveCustomer: () => customer,
      signing: { forRoutes: [{ path: 'signed-page', method: RequestMethod.GET }] },
    }),
  ],
  controllers: [PageController],
})
class BenchModule {}

const app = await NestFactory.create(BenchModule, { logger: false });
await app.listen(0, '127.0.0.1');
const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

const figures = await compareHttp([
  { name: 'baseline: GET /page (no middleware)', url: `${base}/page` },
  { name: 'GET /signed-page (signing middleware)', url: `${base}/signed-page` },
  {
    name: 'POST /helper/widget/session (identified)',
    url: `${base}/helper/widget/session`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // Signed once: the timestamp stays within the hour-long tolerance for the whole run.
    // The metadata is signed with the identity, as a host page passes it (unsigned metadata is
    // refused by default).
    body: JSON.stringify(signedSessionBody()),
  },
]);
printHttp('signing middleware (nest)', figures);
const ratio = figures[1]!.ratio;
console.log(
  `signing middleware / baseline, round by round: ${figures[1]!.roundRatios.map((round) => round.toFixed(2)).join(' ')}`,
);
recordResults({ 'middleware.ratio': Math.round(ratio * 1000) / 1000 });
console.log(
  `target: signing middleware >= 0.85 x baseline: ${ratio.toFixed(2)}, ${ratio >= 0.85 ? 'met' : 'NOT MET'}`,
);

await app.close();
rmSync(dataDir, { recursive: true, force: true });
