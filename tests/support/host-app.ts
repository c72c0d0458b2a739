import {
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WidgetSettings } from '@helperkit/core';
import { HelperChatModule, HelperModule, type HostCustomer } from '@helperkit/nest';

/** The host's login cookie: its value is the logged-in customer's email. */
export const LOGIN_COOKIE = 'demo_user';

const HMAC_SECRET = 'browser-e2e-hmac-secret-0123456789abcdefgh';
const STAFF_TOKEN = 'browser-e2e-staff-token';

/** The host's admin guard, as the demo has it: a bearer token for support staff. */
@Injectable()
class StaffTokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const { authorization } = context.switchToHttp().getRequest<IncomingMessage>().headers;
    if (authorization === undefined) throw new UnauthorizedException('Staff login required.');
    return authorization === `Bearer ${STAFF_TOKEN}`;
  }
}

function cookieValue(request: IncomingMessage, name: string): string | undefined {
  for (const pair of request.headers.cookie?.split(';') ?? []) {
    const [key, ...value] = pair.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

export interface HostAppOptions {
  /** A built page (index.html and assets), served at `/`. */
  staticDir: string;
  /** The host's customers: email → revenue value, the trusted `value` helperkit decides with. */
  customers: Readonly<Record<string, number>>;
  /** Headers on every answer, e.g. a `Content-Security-Policy` the page must live with. */
  headers?: Readonly<Record<string, string>>;
}

export interface RunningHostApp {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** `PATCH /helper/settings` through the admin guard, as the dashboard does. */
  updateSettings(patch: Partial<WidgetSettings>): Promise<WidgetSettings>;
  /** Any staff endpoint through the admin guard, as the staff dashboard calls it. */
  staff<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: object): Promise<T>;
  close(): Promise<void>;
}

/**
 * A host application: a NestJS app that serves its page and mounts `HelperModule` at `/helper`,
 * with a temporary SQLite file. Who is logged in comes from the `demo_user` cookie, so a browser
 * context with that cookie is that customer, and `GET /helper/widget/identity` signs them.
 */
export async function startHostApp({
  staticDir,
  customers,
  headers = {},
}: HostAppOptions): Promise<RunningHostApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'helperkit-host-'));
  const resolveCustomer = (request: IncomingMessage): HostCustomer | null => {
    const email = cookieValue(request, LOGIN_COOKIE);
    const value = email === undefined ? undefined : customers[email];
    return email === undefined || value === undefined ? null : { email, value };
  };
  const moduleRef = await Test.createTestingModule({
    imports: [
      HelperModule.forRoot({
        hmacSecrets: [HMAC_SECRET],
        adminGuard: StaffTokenGuard,
        database: join(dataDir, 'helperkit.sqlite'),
        resolveCustomer,
      }),
      HelperChatModule.forRoot(),
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  app.use((_request: IncomingMessage, response: ServerResponse, next: () => void) => {
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    next();
  });
  app.useStaticAssets(staticDir);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  async function staff<T>(method: string, path: string, body?: object): Promise<T> {
    const response = await fetch(`${url}/helper${path}`, {
      method,
      headers: { authorization: `Bearer ${STAFF_TOKEN}`, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(
        `${method} /helper${path} answered ${response.status}: ${await response.text()}`,
      );
    }
    return (await response.json()) as T;
  }

  return {
    url,
    updateSettings: (patch) => staff<WidgetSettings>('PATCH', '/settings', patch),
    staff,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
