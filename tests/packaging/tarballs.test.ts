// The packed tarballs as a new user gets them: `pnpm pack` of the three packages, installed with
// plain npm (helperkit only from the tarballs, the rest from the registry or npm's cache) into one
// fresh project holding a NestJS server and a Vue + Vite app; both build and typecheck, and the
// server boots and answers. See docs/operations.md, "Packages".
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signIdentity } from '@helperkit/core/node';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { collectPageErrors, launchChromium } from '../support/browser.js';
import { dependencyClosure, engineWarnedPackages } from './dependency-closure.js';

const execFileAsync = promisify(execFile);
/** Runs a command; a failure says what the command printed (tsc writes its errors to stdout). */
async function run(command: string, args: string[], options: Parameters<typeof execFileAsync>[2]) {
  try {
    return await execFileAsync(command, args, { ...options, encoding: 'utf8' });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout}\n${stderr}`, { cause: error });
  }
}
const REPO = new URL('../../', import.meta.url).pathname;
const FIXTURE = new URL('./fixture/', import.meta.url).pathname;
const PACKAGES = ['core', 'nest-helper', 'vue-helper'];
const HMAC_SECRET = 'packed-tarball-test-secret-0123456789abcdef';
const STAFF = { authorization: 'Bearer packed-staff-token', 'content-type': 'application/json' };
// Installs, builds and a server start: slow on a shared 2-core machine (a harness limit only).
const SLOW_MS = 600_000;

const versionOf = (name: string) =>
  (
    JSON.parse(readFileSync(join(REPO, 'packages/nest-helper/package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    }
  ).devDependencies[name]!;

describe('the packed tarballs in a fresh Nest app and a fresh Vite app', () => {
  let project: string;
  let npmOutput = '';
  let server: ChildProcess | undefined;
  /** The booted server's address, once 'boots the Nest server' has run. */
  let base = '';

  beforeAll(async () => {
    project = mkdtempSync(join(tmpdir(), 'helperkit-packed-'));
    const packs = join(project, 'packs');
    await run('pnpm', ['-r', '--filter', './packages/*', 'build'], { cwd: REPO });
    for (const pkg of PACKAGES) {
      await run('pnpm', ['pack', '--pack-destination', packs], {
        cwd: join(REPO, 'packages', pkg),
      });
    }
    const tarball = (prefix: string) =>
      `file:./packs/${readdirSync(packs).find((file) => file.startsWith(prefix))!}`;
    cpSync(FIXTURE, project, { recursive: true });
    const core = tarball('helperkit-core-');
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({
        name: 'packed-host',
        private: true,
        type: 'module',
        dependencies: {
          '@helperkit/core': core,
          '@helperkit/nest': tarball('helperkit-nest-'),
          '@helperkit/vue': tarball('helperkit-vue-'),
          '@nestjs/common': versionOf('@nestjs/common'),
          '@nestjs/core': versionOf('@nestjs/core'),
          '@nestjs/platform-express': versionOf('@nestjs/platform-express'),
          '@nestjs/terminus': versionOf('@nestjs/terminus'),
          'class-transformer': versionOf('class-transformer'),
          'class-validator': versionOf('class-validator'),
          'prom-client': versionOf('prom-client'),
          'reflect-metadata': versionOf('reflect-metadata'),
          rxjs: versionOf('rxjs'),
          vue: '^3.5.0',
        },
        devDependencies: {
          // The server serves the Vite app through Nest's Express application type, as hosts do.
          '@types/express': '^5.0.0',
          '@types/node': '^20.19.0',
          '@vitejs/plugin-vue': '^6.0.0',
          typescript: '~6.0.3',
          vite: '^8.3.0',
        },
        // The core that nest and vue depend on is the packed one too, never the registry's.
        overrides: { '@helperkit/core': core },
      }),
    );
    const install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: project,
      maxBuffer: 16 * 1024 * 1024,
    });
    npmOutput = `${install.stdout}\n${install.stderr}`;
  }, SLOW_MS);

  afterAll(() => {
    server?.kill();
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('installs without a warning about helperkit or an engine its own dependencies need', () => {
    const warnings = npmOutput.split('\n').filter((line) => /^npm warn/i.test(line));
    expect(warnings.filter((line) => /helperkit/i.test(line))).toEqual([]);
    const ours = dependencyClosure(project, [
      '@helperkit/core',
      '@helperkit/nest',
      '@helperkit/vue',
    ]);
    // Only helperkit's own dependencies count, by version: file-type 22 through @nestjs/common is
    // NestJS's (helperkit's own is 21, which supports Node 20).
    expect(engineWarnedPackages(npmOutput).filter((name) => ours.has(name))).toEqual([]);
  });

  it('publishes no source, and the Vue build imports core instead of inlining it', () => {
    for (const name of ['core', 'nest', 'vue']) {
      const dir = join(project, 'node_modules/@helperkit', name);
      expect(readdirSync(dir)).not.toContain('src');
    }
    const vueDist = join(project, 'node_modules/@helperkit/vue/dist');
    const entry = readFileSync(join(vueDist, 'helperkit-vue.js'), 'utf8');
    expect(entry).toMatch(/from\s*["']@helperkit\/core["']/);
    // One copy of the core rules in the app: the one in node_modules/@helperkit/core.
    expect(readdirSync(join(project, 'node_modules/@helperkit/vue'))).not.toContain('node_modules');
  });

  it(
    'typechecks and builds the Nest server and the Vite app',
    async () => {
      await run('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: project });
      await run('npx', ['tsc', '-p', 'web/tsconfig.json'], { cwd: project });
      await run('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: join(project, 'web') });
      const built = readdirSync(join(project, 'web/dist/assets'));
      expect(built.some((file) => file.endsWith('.js'))).toBe(true);
    },
    SLOW_MS,
  );

  it(
    'boots the Nest server, which answers the widget, health and metrics',
    async () => {
      server = spawn(process.execPath, ['server-dist/main.mjs'], {
        cwd: project,
        env: {
          ...process.env,
          HMAC_SECRET,
          STAFF_TOKEN: STAFF.authorization.slice('Bearer '.length),
          DATABASE: join(project, 'data/helperkit.sqlite'),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const port = await new Promise<number>((resolve, reject) => {
        server!.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
        createInterface({ input: server!.stdout! }).on('line', (line) => {
          const match = /^listening (\d+)$/.exec(line);
          if (match) resolve(Number(match[1]));
        });
      });
      base = `http://127.0.0.1:${port}`;
      const session = await fetch(`${base}/helper/widget/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(signIdentity({ email: 'ann@example.com' }, HMAC_SECRET)),
      });
      expect(session.status).toBe(200);
      expect(await session.json()).toMatchObject({ showWidget: true });
      const health = await fetch(`${base}/health`);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain(
        'helper_identity_verifications_total{mailbox="default",result="verified",secret_index="0"} 1',
      );
    },
    SLOW_MS,
  );
  it(
    "runs the packed widget in Chromium: the Vite app's panel sends a message and shows the reply",
    async () => {
      // The built dist is what users get, with the package's own build steps (its shortened
      // internal names, its split chunks and stylesheets): the other browser suites build the
      // widget from source, so this is the one that runs the published code.
      expect(base).not.toBe('');
      const allowAnonymous = await fetch(`${base}/helper/settings`, {
        method: 'PATCH',
        headers: STAFF,
        body: JSON.stringify({ allowAnonymous: true }),
      });
      expect(allowAnonymous.status).toBe(200);
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const errors = collectPageErrors(page);
        await page.goto(`${base}/`);
        await page.locator('[data-helper-toggle-button]').click();
        const dialog = page.getByRole('dialog');
        await dialog.getByRole('textbox').fill('Where is my packed order?');
        await dialog.getByRole('textbox').press('Enter');
        await dialog.getByRole('log').getByText('Where is my packed order?').waitFor();

        const { conversations } = (await (
          await fetch(`${base}/helper/staff/conversations`, { headers: STAFF })
        ).json()) as { conversations: { id: string; lastMessage?: { preview: string } }[] };
        const conversation = conversations.find(
          (c) => c.lastMessage?.preview === 'Where is my packed order?',
        );
        expect(conversation).toBeDefined();
        const reply = await fetch(
          `${base}/helper/staff/conversations/${conversation!.id}/messages`,
          { method: 'POST', headers: STAFF, body: JSON.stringify({ body: 'On its way.' }) },
        );
        expect(reply.status).toBe(201);
        // Through the live stream, into the open panel, styled by the panel's own stylesheet.
        await dialog.getByRole('log').getByText('On its way.').waitFor();
        expect(await dialog.evaluate((element) => getComputedStyle(element).position)).toBe(
          'fixed',
        );
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    SLOW_MS,
  );
});

describe("npm's engine warnings", () => {
  it('are read for the package they name', () => {
    const output = [
      'npm warn EBADENGINE Unsupported engine {',
      "npm warn EBADENGINE   package: 'file-type@22.3.0',",
      "npm warn EBADENGINE   required: { node: '>=22' },",
      "npm warn EBADENGINE   current: { node: 'v20.20.0', npm: '11.6.2' }",
      'npm warn EBADENGINE }',
      "npm warn EBADENGINE   package: '@scope/tool@1.0.0',",
    ].join('\n');
    expect(engineWarnedPackages(output)).toEqual(['file-type@22.3.0', '@scope/tool@1.0.0']);
  });
});
