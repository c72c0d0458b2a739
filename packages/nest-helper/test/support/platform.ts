import type { INestApplication } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';

/** The HTTP platform the suites run on: Express, or Fastify with `HELPERKIT_TEST_PLATFORM=fastify`. */
export const onFastify = process.env.HELPERKIT_TEST_PLATFORM === 'fastify';

export const platformName = onFastify ? 'Fastify' : 'Express';

/** A fresh adapter of the platform under test, with its default body parsers and limits. */
export const testHttpAdapter = (): AbstractHttpAdapter =>
  onFastify ? new FastifyAdapter() : new ExpressAdapter();

/** Initialises an app so that its HTTP server answers (Fastify needs `ready()` after `init()`). */
export async function initApp(app: INestApplication): Promise<void> {
  await app.init();
  if (onFastify)
    await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
}
