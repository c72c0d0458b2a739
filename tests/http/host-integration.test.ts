// A host that is not NestJS-aware signs with @helperkit/core alone; a NestJS app with
// @helperkit/nest verifies. Both halves from the published entry points, over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, type CanActivate, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { signIdentity } from '@helperkit/core/node';
import { resolveToggleButton, type WidgetSessionResponse } from '@helperkit/core';
import { HelperModule } from '@helperkit/nest';

const SECRET = 'cross-package-secret-0123456789abcdefghij';

@Injectable()
class AllowStaff implements CanActivate {
  canActivate() {
    return true;
  }
}

describe('a host signing with @helperkit/core, a server verifying with @helperkit/nest', () => {
  let app: INestApplication;
  beforeAll(async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'helperkit-e2e-')), 'helperkit.sqlite');
    const moduleRef = await Test.createTestingModule({
      imports: [HelperModule.forRoot({ hmacSecrets: [SECRET], adminGuard: AllowStaff, database })],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    await request(app.getHttpServer())
      .patch('/helper/settings')
      .send({ displayMode: 'revenue_based', minValue: 1000 })
      .expect(200);
  });
  afterAll(async () => {
    await app.close();
  });

  const session = async (body: object) =>
    (await request(app.getHttpServer()).post('/helper/widget/session').send(body).expect(200))
      .body as WidgetSessionResponse;

  it('shows the toggle button to a customer above the threshold, and hides it below, unless forced', async () => {
    // The host signs the identity and the metadata together; the widget sends both on.
    const signedSession = (email: string, value: number) => {
      const { metadata, ...identity } = signIdentity({ email, metadata: { value } }, SECRET);
      return session({ ...identity, customerMetadata: metadata });
    };
    const rich = await signedSession('rich@example.com', 5000);
    const small = await signedSession('small@example.com', 10);
    expect(resolveToggleButton(undefined, rich.showWidget)).toBe(true);
    expect(resolveToggleButton(undefined, small.showWidget)).toBe(false);
    expect(resolveToggleButton(true, small.showWidget)).toBe(true);
  });

  it('accepts an identity whose hash a shell script made with openssl', async () => {
    const email = 'shell@example.com';
    const timestamp = Date.now();
    const output = execFileSync('openssl', ['dgst', '-sha256', '-hmac', SECRET], {
      input: `${email}:${timestamp}`,
    }).toString();
    const emailHash = /([0-9a-f]{64})\s*$/.exec(output)![1]!;
    const answer = await session({ email, timestamp, emailHash });
    expect(answer.token.split('.')).toHaveLength(3);
  });
});
