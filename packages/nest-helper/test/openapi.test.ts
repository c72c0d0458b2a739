import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { Validator } from '@seriousme/openapi-schema-validator';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { addHelperSecurity } from '../src/index.js';
import { HostController, StaffTokenGuard, helperModules, testDatabase } from './support/app.js';
import { INBOUND_SECRET, MAILBOX } from './email/support.js';
import { initApp, platformName, testHttpAdapter } from './support/platform.js';
import { SECRET } from './support/secrets.js';
import { missingDocumentation, openApiPath } from './openapi/route-coverage.js';
import { recordServedRoutes, type ServedRoute } from './openapi/served-routes.js';

const STAFF_SCHEME = 'staff';

/**
 * The module's routes alone, as the documentation site renders them (docs/api-reference.md):
 * committed, so the site builds without starting an app, and compared here, so it never goes
 * stale. `HELPERKIT_UPDATE_OPENAPI=1` writes it anew (then `prettier --write` it).
 */
const REFERENCE = fileURLToPath(new URL('../../../docs/public/openapi.json', import.meta.url));

let app: INestApplication;
let served: ServedRoute[];
let document: OpenAPIObject;

/** A host with the three modules, its own routes beside them, and its own staff scheme. */
beforeAll(async () => {
  const moduleRef = await Test.createTestingModule({
    imports: helperModules(
      {
        hmacSecrets: [SECRET],
        adminGuard: StaffTokenGuard,
        database: await testDatabase(),
        openApi: { staffSecurity: STAFF_SCHEME },
      },
      {
        address: MAILBOX,
        smtp: { host: '127.0.0.1', port: 9, secure: false, ignoreTLS: true },
        inboundSecret: INBOUND_SECRET,
      },
    ),
    controllers: [HostController],
  }).compile();
  app = moduleRef.createNestApplication(testHttpAdapter(), { logger: false });
  const servedRoutes = recordServedRoutes(app);
  await initApp(app);
  served = servedRoutes();
  const config = addHelperSecurity(
    new DocumentBuilder()
      .setTitle('helperkit HTTP API')
      .setDescription('The routes of HelperModule, HelperChatModule and HelperEmailModule.')
      .setVersion('1')
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', description: 'Your adminGuard (openApi.staffSecurity).' },
        STAFF_SCHEME,
      ),
  ).build();
  document = SwaggerModule.createDocument(app, config);
});

afterAll(async () => {
  await app?.close();
});

const moduleRoutes = () => served.filter((route) => route.path.startsWith('/helper/'));
const operation = (method: string, path: string) =>
  document.paths[openApiPath(path)]?.[method.toLowerCase() as 'get'];

/** The media types of a request body or response object. */
const mediaTypes = (holder: unknown) =>
  Object.keys((holder as { content?: object } | undefined)?.content ?? {});

describe(`the OpenAPI document of a host app (${platformName})`, () => {
  it('is a valid OpenAPI document', async () => {
    const result = await new Validator().validate(JSON.parse(JSON.stringify(document)));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("documents every route the app's router serves under the prefix, with its schemas", () => {
    // The router's own list, so a route added without metadata is named here.
    expect(moduleRoutes().length).toBeGreaterThanOrEqual(20);
    expect(missingDocumentation(moduleRoutes(), document)).toEqual([]);
  });

  it('is the one the documentation site renders (docs/public/openapi.json)', () => {
    const reference = {
      ...document,
      paths: Object.fromEntries(
        Object.entries(document.paths).filter(([path]) => path.startsWith('/helper/')),
      ),
    };
    const text = `${JSON.stringify(reference, null, 2)}\n`;
    if (process.env.HELPERKIT_UPDATE_OPENAPI === '1') writeFileSync(REFERENCE, text);
    expect(JSON.parse(readFileSync(REFERENCE, 'utf8'))).toEqual(JSON.parse(text));
  });

  it('names each route that lacks metadata, with what it lacks', () => {
    // The host's own routes carry no OpenAPI metadata: the check must say so, route by route.
    const problems = missingDocumentation(served, document);
    expect(problems).toContain('GET /account: no response schema');
    expect(problems).toContain('POST /echo: no response schema');
    expect(problems.every((problem) => !problem.includes('/helper/'))).toBe(true);
  });

  it("puts the customer's session, the host's staff scheme and the inbound secret on their routes", () => {
    expect(operation('GET', '/helper/conversations')?.security).toEqual([{ helperSession: [] }]);
    expect(operation('GET', '/helper/events')?.security).toEqual([{ helperSession: [] }]);
    expect(operation('PATCH', '/helper/settings')?.security).toEqual([{ [STAFF_SCHEME]: [] }]);
    expect(operation('GET', '/helper/staff/conversations')?.security).toEqual([
      { [STAFF_SCHEME]: [] },
    ]);
    expect(operation('POST', '/helper/email/inbound')?.security).toEqual([
      { helperInboundBearer: [] },
    ]);
    expect(operation('POST', '/helper/email/inbound/postmark')?.security).toEqual([
      { helperInboundBasic: [] },
    ]);
    expect(operation('POST', '/helper/widget/session')?.security ?? []).toEqual([]);
    expect(Object.keys(document.components?.securitySchemes ?? {})).toEqual(
      expect.arrayContaining(['helperSession', 'helperInboundBearer', 'helperInboundBasic']),
    );
  });

  it('describes bodies and answers as the routes take and give them', () => {
    const start = operation('POST', '/helper/conversations');
    expect(Object.keys(start?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '200', '400', '401', '429']),
    );
    const schemas = document.components?.schemas ?? {};
    expect(schemas.StartConversationDto).toMatchObject({
      required: ['body'],
      properties: { body: { type: 'string', maxLength: 10_000 } },
    });
    expect(schemas.WidgetSettingsSchema).toMatchObject({
      properties: { displayMode: { enum: ['always', 'revenue_based', 'off'] } },
    });
    expect(schemas.ErrorBodySchema).toMatchObject({
      required: expect.arrayContaining(['statusCode', 'code', 'message']),
    });
    expect(mediaTypes(operation('POST', '/helper/email/inbound')?.requestBody)).toEqual([
      'message/rfc822',
    ]);
    expect(mediaTypes(operation('GET', '/helper/staff/events')?.responses['200'])).toEqual([
      'text/event-stream',
    ]);
  });
});
