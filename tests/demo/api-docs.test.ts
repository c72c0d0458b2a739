// The demo serves its OpenAPI document: Swagger UI at /docs, the JSON at /docs-json, with every
// helperkit route and the security schemes those routes name.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Validator } from '@seriousme/openapi-schema-validator';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo, type RunningDemo } from '../../apps/demo/server/demo-app.js';

let demo: RunningDemo;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'helperkit-demo-docs-'));
  // The API documentation needs no built web app: a page stands in for it.
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>demo</title>');
  demo = await startDemo({
    logger: false,
    env: {
      HELPER_HMAC_SECRET: 'demo-docs-current-hmac-secret-0123456789abcdef',
      DEMO_STAFF_TOKEN: 'demo-docs-staff-token',
      HELPERKIT_DEMO_DATABASE: join(dir, 'helperkit.sqlite'),
      HELPERKIT_DEMO_WEB_DIR: dir,
      PORT: '0',
      HOST: '127.0.0.1',
    },
  });
});

afterAll(async () => {
  await demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the demo's API documentation", () => {
  it('serves a valid OpenAPI document at /docs-json with the chat, staff and email routes', async () => {
    const response = await fetch(`${demo.url}/docs-json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      paths: Record<string, Record<string, { security?: object[] }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/helper/widget/session',
        '/helper/conversations/{id}/messages',
        '/helper/staff/conversations',
        '/helper/email/inbound/postmark',
      ]),
    );
    expect(document.paths['/helper/staff/conversations']?.get?.security).toEqual([
      { demoStaff: [] },
    ]);
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual([
      'demoStaff',
      'helperInboundBasic',
      'helperInboundBearer',
      'helperSession',
    ]);
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await fetch(`${demo.url}/docs`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger-ui');
  });
});
