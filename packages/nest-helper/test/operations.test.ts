import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Header, Inject, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { signIdentity } from '@helperkit/core/node';
import { Registry } from 'prom-client';
import request from 'supertest';
import { HelperMetrics, HelperMetricsModule } from '../src/metrics/index.js';
import { HelperHealthIndicator, HelperHealthModule } from '../src/terminus/index.js';
import { INBOUND_SECRET, MAILBOX } from './email/support.js';
import { StaffTokenGuard, helperModules, listen, testDatabase } from './support/app.js';
import { captureResponses } from './support/capture.js';
import { initApp, testHttpAdapter } from './support/platform.js';
import { freePort, SmtpCatcher } from './support/smtp-catcher.js';
import { SseClient } from './support/sse.js';
import { ADMIN_TOKEN, OTHER_SECRET, PREVIOUS_SECRET, SECRET } from './support/secrets.js';

const staff = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** The host's own health and metrics routes, as the docs show them. */
@Controller()
class OpsController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly helper: HelperHealthIndicator,
    @Inject(HelperMetrics) private readonly metrics: HelperMetrics,
  ) {}

  @Get('health')
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.helper.storage(),
      () => this.helper.outbox(),
      () => this.helper.smtp(),
    ]);
  }

  /** A stricter outbox check: anything pending at all is "stuck". */
  @Get('health/outbox-now')
  @HealthCheck()
  outboxNow() {
    return this.health.check([() => this.helper.outbox('helper_outbox', { maxPendingAgeMs: -1 })]);
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  read() {
    return this.metrics.registry.metrics();
  }
}

/** The app, compiled (its database open) but not yet initialised. */
async function compileOpsApp(
  registry: Registry | undefined,
  smtpPort: number,
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ...helperModules(
        {
          hmacSecrets: [SECRET, PREVIOUS_SECRET],
          adminGuard: StaffTokenGuard,
          database: await testDatabase(),
        },
        {
          address: MAILBOX,
          smtp: { host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true },
          inboundSecret: INBOUND_SECRET,
          retryDelayMs: 200,
          senderAuthentication: 'off',
        },
      ),
      TerminusModule,
      HelperHealthModule,
      registry ? HelperMetricsModule.forRoot({ registry }) : HelperMetricsModule,
    ],
    controllers: [OpsController],
  }).compile();
  const app = moduleRef.createNestApplication(testHttpAdapter(), { logger: false });
  app.use(captureResponses);
  return app;
}

async function opsApp(registry: Registry | undefined, smtpPort: number) {
  const app = await compileOpsApp(registry, smtpPort);
  await initApp(app);
  return app;
}

/** One sample's value from the text exposition format; 0 when the series is absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((row) => row.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

const customerMail = (id: string) =>
  Buffer.from(
    [
      // A sender of its own per message: each is a first message, which gets an auto-reply.
      `From: Customer ${id} <${id}@example.org>`,
      `To: ${MAILBOX}`,
      `Subject: Order ${id}`,
      `Message-ID: <${id}@mail.example.org>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Where is order ${id}?`,
      '',
    ].join('\r\n'),
  );

describe('health and metrics over HTTP', () => {
  let app: INestApplication;
  let server: ReturnType<INestApplication['getHttpServer']>;
  let smtp: SmtpCatcher;
  const registry = new Registry();

  const metricsText = async () => (await request(server).get('/metrics').expect(200)).text;
  /** Reads the metrics until `series` has `value`: the outbox sends in the background. */
  async function untilSample(series: string, value: number): Promise<void> {
    for (let tries = 0; sample(await metricsText(), series) !== value; tries += 1) {
      if (tries > 100) throw new Error(`${series} never reached ${value}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const session = (body: object) => request(server).post('/helper/widget/session').send(body);
  const inbound = (raw: Buffer) =>
    request(server)
      .post('/helper/email/inbound')
      .set('Authorization', `Bearer ${INBOUND_SECRET}`)
      .set('Content-Type', 'message/rfc822')
      .send(raw)
      .expect(200);

  beforeAll(async () => {
    // The SMTP server is down at first: replies wait in the outbox.
    smtp = new SmtpCatcher(await freePort());
    app = await opsApp(registry, smtp.port);
    server = app.getHttpServer();
    await request(server)
      .patch('/helper/settings')
      .set(staff)
      .send({ autoRespondEmailToChat: true, widgetHost: 'https://shop.example' })
      .expect(200);
  });

  afterAll(async () => {
    await app?.close();
    await smtp.stop();
  });

  it('counts identities by the secret that verified them, so a rotation can be finished', async () => {
    await session(signIdentity({ email: 'ann@example.com' }, SECRET)).expect(200);
    await session(signIdentity({ email: 'bob@example.com' }, PREVIOUS_SECRET)).expect(200);
    await session(signIdentity({ email: 'cy@example.com' }, PREVIOUS_SECRET)).expect(200);
    await session(signIdentity({ email: 'eve@example.com' }, OTHER_SECRET)).expect(401);

    const text = await metricsText();
    const verified = 'helper_identity_verifications_total{mailbox="default",result="verified"';
    expect(sample(text, `${verified},secret_index="0"}`)).toBe(1);
    expect(sample(text, `${verified},secret_index="1"}`)).toBe(2);
    expect(
      sample(
        text,
        'helper_identity_verifications_total{mailbox="default",result="mismatch",secret_index="none"}',
      ),
    ).toBe(1);
    // When the previous secret was last used: a recent Unix time, for the host's dashboard too.
    const lastUsed = sample(
      text,
      'helper_identity_last_verified_seconds{mailbox="default",secret_index="1"}',
    );
    expect(Math.abs(lastUsed - Date.now() / 1000)).toBeLessThan(600);
    const metrics = app.get(HelperMetrics);
    const lastUsedAt = await metrics.lastVerifiedAt('default', 1);
    expect(Math.round(lastUsedAt!.getTime() / 1000)).toBe(Math.round(lastUsed));
    expect(await metrics.lastVerifiedAt('default', 2)).toBeNull();
  });

  it('reports a queued reply in the outbox and the SMTP server down, then both healthy', async () => {
    const answer = await inbound(customerMail('queued-1'));
    expect(answer.body.autoReply).toBe('queued');
    expect(sample(await metricsText(), 'helper_outbox_pending')).toBe(1);
    expect(
      sample(await metricsText(), 'helper_email_inbound_total{mailbox="default",outcome="queued"}'),
    ).toBe(1);

    const down = await request(server).get('/health').expect(503);
    // Only the error's code: a message could quote the server.
    expect(down.body.error.helper_smtp).toEqual({
      status: 'down',
      error: expect.stringMatching(/^E[A-Z]+$/),
    });
    expect(down.body.info.helper_storage).toEqual({ status: 'up' });
    expect(down.body.info.helper_outbox).toMatchObject({ status: 'up', pending: 1 });
    const stuck = await request(server).get('/health/outbox-now').expect(503);
    expect(stuck.body.error.helper_outbox).toMatchObject({ status: 'down', pending: 1 });

    await smtp.start();
    await untilSample('helper_outbox_pending', 0);
    expect(smtp.mail).toHaveLength(1);
    const up = await request(server).get('/health').expect(200);
    expect(up.body.info).toEqual({
      helper_storage: { status: 'up' },
      helper_outbox: { status: 'up', pending: 0, oldestPendingSeconds: 0 },
      helper_smtp: { status: 'up' },
    });
  });

  it('counts inbound email by outcome: queued, duplicate, skipped', async () => {
    expect((await inbound(customerMail('queued-2'))).body.autoReply).toBe('queued');
    await inbound(customerMail('queued-2'));
    await inbound(
      Buffer.from(
        customerMail('auto-1')
          .toString()
          .replace('Subject:', 'Auto-Submitted: auto-replied\r\nSubject:'),
      ),
    );
    const text = await metricsText();
    const outcome = (name: string) =>
      sample(text, `helper_email_inbound_total{mailbox="default",outcome="${name}"}`);
    expect(outcome('queued')).toBe(2);
    expect(outcome('duplicate')).toBe(1);
    expect(outcome('auto-submitted')).toBe(1);
  });

  it('counts open live-update connections', async () => {
    const base = await listen(app);
    const { token } = (await session(signIdentity({ email: 'ann@example.com' }, SECRET))).body;
    const customer = new SseClient(`${base}/helper/events`, { Authorization: `Bearer ${token}` });
    const staffStream = new SseClient(`${base}/helper/staff/events`, staff);
    await customer.waitFor((event) => event.type === 'ready');
    await staffStream.waitFor((event) => event.type === 'ready');
    expect(sample(await metricsText(), 'helper_sse_connections')).toBe(2);
    customer.close();
    staffStream.close();
    await untilSample('helper_sse_connections', 0);
  });
});

describe('metrics registries', () => {
  it('refuses a second application on the same registry, and frees it on close', async () => {
    const port = await freePort();
    const first = await opsApp(undefined, port);
    const clash = await compileOpsApp(undefined, port);
    await expect(initApp(clash)).rejects.toThrow(
      /helper_identity_verifications_total.*already registered.*forRoot\(\{ registry/,
    );
    await clash.close();
    // Each application with its own registry runs beside the first.
    const second = await opsApp(new Registry(), port);
    await first.close();
    const third = await opsApp(undefined, port);
    await Promise.all([second.close(), third.close()]);
  });
});
