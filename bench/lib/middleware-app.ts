// The signing middleware benchmark's server, in a process of its own so that the load generator
// (autocannon, in the parent) and the server under test do not share an event loop or a heap:
// the same GET route with and without the middleware, and the session endpoint.
import 'reflect-metadata';
import { Controller, Get, Header, Module, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HelperCustomer, HelperModule, type HelperCustomerContext } from '@helperkit/nest';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveFromChild } from './server-process.js';
import { BENCH_CUSTOMER, BENCH_SECRET } from './signing-bench.js';

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

const dataDir = mkdtempSync(join(tmpdir(), 'helperkit-bench-'));

@Module({
  imports: [
    HelperModule.forRoot({
      hmacSecrets: [BENCH_SECRET],
      adminGuard: { canActivate: () => true },
      database: join(dataDir, 'bench.sqlite'),
      // The host's lookup is a constant here: what is measured is helperkit's own work.
      resolveCustomer: () => BENCH_CUSTOMER,
      signing: { forRoutes: [{ path: 'signed-page', method: RequestMethod.GET }] },
    }),
  ],
  controllers: [PageController],
})
class BenchModule {}

serveFromChild(async () => {
  const app = await NestFactory.create(BenchModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`,
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
