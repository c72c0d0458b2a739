// The demo's operations routes, as a host wires them from @helperkit/nest/terminus and
// @helperkit/nest/metrics: /health, /metrics, and the dashboard's "previous secret last used".
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signIdentity } from '@helperkit/core/node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo, type RunningDemo } from '../../apps/demo/server/demo-app.js';

const HMAC_SECRET = 'demo-ops-current-hmac-secret-0123456789abcdef';
const PREVIOUS_SECRET = 'demo-ops-previous-hmac-secret-0123456789abcdef';
const STAFF_TOKEN = 'demo-ops-staff-token';

describe('the demo: health, metrics and the secret rotation card', () => {
  let dir: string;
  let demo: RunningDemo;
  const staff = { Authorization: `Bearer ${STAFF_TOKEN}` };
  const secretStatus = async () =>
    (await (await fetch(`${demo.url}/demo/secret-status`, { headers: staff })).json()) as {
      previous: number;
      previousLastUsed: string | null;
    };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'helperkit-demo-ops-'));
    // The web app is not under test here: a page stands in for its build.
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>demo</title>');
    demo = await startDemo({
      logger: false,
      env: {
        HELPER_HMAC_SECRET: HMAC_SECRET,
        HELPER_HMAC_PREVIOUS_SECRETS: PREVIOUS_SECRET,
        DEMO_STAFF_TOKEN: STAFF_TOKEN,
        HELPERKIT_DEMO_DATABASE: join(dir, 'helperkit.sqlite'),
        HELPERKIT_DEMO_WEB_DIR: dir,
        PORT: '0',
        HOST: '127.0.0.1',
      },
    });
  }, 60_000);

  afterAll(async () => {
    await demo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers /health with the database, the outbox and the mail catcher up', async () => {
    const health = await fetch(`${demo.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      info: {
        helper_storage: { status: 'up' },
        helper_outbox: { status: 'up', pending: 0 },
        helper_smtp: { status: 'up' },
      },
    });
  });

  it('shows when the previous secret was last used, from the metrics', async () => {
    expect(await secretStatus()).toMatchObject({ previous: 1, previousLastUsed: null });

    const before = Date.now();
    const session = await fetch(`${demo.url}/helper/widget/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(signIdentity({ email: 'old.page@example.com' }, PREVIOUS_SECRET)),
    });
    expect(session.status).toBe(200);

    const { previousLastUsed } = await secretStatus();
    expect(Date.parse(previousLastUsed!)).toBeGreaterThanOrEqual(before - 1000);
    const metrics = await (await fetch(`${demo.url}/metrics`)).text();
    expect(metrics).toContain(
      'helper_identity_verifications_total{mailbox="default",result="verified",secret_index="1"} 1',
    );
  });
});
