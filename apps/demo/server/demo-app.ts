import 'reflect-metadata';
import { ConsoleLogger, Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { isLocalHostname } from '@helperkit/core';
import { SettingsService } from '@helperkit/nest';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serveApiDocs } from './api-docs.js';
import { AppModule, type AppModuleOptions } from './app.module.js';
import { DemoConfig } from './demo-config.js';
import { DemoRuntime } from './demo-runtime.js';
import { DOCS_PATH, serveDocsSite } from './docs-site.js';
import { MailCatcher } from './mail-catcher.service.js';

export interface StartDemoOptions extends AppModuleOptions {
  /** Nest's log levels, or `false` for none (tests). */
  logger?: LogLevel[] | false;
}

export interface RunningDemo {
  app: NestExpressApplication;
  /** The demo's URL in a browser, e.g. `http://localhost:3000`, no trailing slash. */
  url: string;
  /** The local SMTP catcher's URL. */
  smtpUrl: string;
  /** The documentation site with its live widget, or `null` when it is not built. */
  docsUrl: string | null;
  staffToken: string;
  /** Whether the staff token was generated for this run (DEMO_STAFF_TOKEN not set). */
  staffTokenGenerated: boolean;
  close(): Promise<void>;
}

/** Nest's log without the start-up chatter (every module and route), which buries what matters. */
class DemoLogger extends ConsoleLogger {
  private static readonly QUIET = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

  override log(message: unknown, ...rest: unknown[]): void {
    const context = rest.at(-1);
    if (typeof context === 'string' && DemoLogger.QUIET.has(context)) return;
    super.log(message, ...rest);
  }
}

/**
 * Starts the demo: helperkit's API under `/helper`, the demo's under `/demo`, the built Vue app
 * at `/`, the documentation site under `/guide/`, and the mail catcher, all in one process on
 * one HTTP port.
 */
export async function startDemo(options: StartDemoOptions = {}): Promise<RunningDemo> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    logger: options.logger ?? new DemoLogger(),
    // A configuration mistake throws (with helperkit's message) instead of aborting the process.
    abortOnError: false,
    // Open event streams (the widget's, the inbox's) must not hold up a stop.
    forceCloseConnections: true,
  });
  try {
    const config = app.get(DemoConfig);
    if (!existsSync(join(config.webDir, 'index.html'))) {
      throw new Error(
        `The web app is not built (no index.html in ${config.webDir}): ` +
          'run `pnpm --filter @helperkit/demo build`, or `pnpm demo`, which builds everything.',
      );
    }
    app.useStaticAssets(config.webDir, { index: 'index.html' });
    const docsServed = serveDocsSite(app, config.docsDir);
    if (!docsServed) {
      new Logger('Demo').warn(
        `The documentation site is not built (no index.html in ${config.docsDir}): ` +
          'run `pnpm docs:build` to see it, with the live widget, under ' +
          `${DOCS_PATH}/ (\`pnpm demo\` builds it).`,
      );
    }
    serveApiDocs(app);
    await app.listen(config.port, config.host);

    const { port } = app.getHttpServer().address() as AddressInfo;
    const runtime = app.get(DemoRuntime);
    runtime.publicUrl = `http://localhost:${port}`;
    const internalHost = ['0.0.0.0', '::', 'localhost'].includes(config.host)
      ? '127.0.0.1'
      : config.host;
    runtime.internalUrl = `http://${internalHost.includes(':') ? `[${internalHost}]` : internalHost}:${port}`;
    await seedSettings(app.get(SettingsService), `${runtime.publicUrl}/`);

    return {
      app,
      url: runtime.publicUrl,
      smtpUrl: app.get(MailCatcher).url,
      docsUrl: docsServed ? `${runtime.publicUrl}${DOCS_PATH}/` : null,
      staffToken: config.staffToken,
      staffTokenGenerated: config.staffTokenSource === 'generated',
      close: () => app.close(),
    };
  } catch (error) {
    await app.close();
    throw error;
  }
}

/**
 * Makes the email-to-chat flow work out of the box: on a fresh database, turns the auto-reply on
 * with the demo's own page as `widgetHost`; later, keeps a local `widgetHost` pointing at the
 * port the demo runs on now. A `widgetHost` set to another host in the dashboard stays as it is.
 */
async function seedSettings(settings: SettingsService, hostPage: string): Promise<void> {
  const logger = new Logger('Demo');
  const { widgetHost } = await settings.get('default');
  if (widgetHost === null) {
    await settings.update('default', { autoRespondEmailToChat: true, widgetHost: hostPage });
    logger.log(`Email to chat is on: auto-replies link to ${hostPage}`);
  } else if (widgetHost !== hostPage && isLocalHostname(new URL(widgetHost).hostname)) {
    await settings.update('default', { widgetHost: hostPage });
    logger.log(`widgetHost follows the demo to ${hostPage}`);
  }
}
