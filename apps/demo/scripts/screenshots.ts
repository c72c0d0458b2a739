// Regenerates the README screenshots (docs/screenshots/*.png) from the built demo:
//   pnpm build && pnpm --filter @helperkit/demo build && pnpm --filter @helperkit/demo screenshots
// It starts dist/server/main.js as `pnpm demo` does (a temporary database, a free port, fixed
// secrets), seeds conversations through the demo's HTTP API and captures them in Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { photoPng } from './photo-png.js';

const DEMO_DIR = fileURLToPath(new URL('../', import.meta.url));
const OUT_DIR = join(DEMO_DIR, 'docs', 'screenshots');
const CHROMIUM_PATH = '/usr/bin/chromium';
const STAFF_TOKEN = 'demo-screenshots-staff-token';
const VIEWPORT = { width: 1100, height: 760 };
/** README images stay light: a screenshot above this size fails the run. */
const MAX_BYTES = 200_000;
const UI_TIMEOUT_MS = 10_000;

const CAROL = 'carol@demo.localhost';
const BOB = 'bob@demo.localhost';

async function main(): Promise<void> {
  for (const built of ['dist/server/main.js', 'dist/web/index.html']) {
    if (!existsSync(join(DEMO_DIR, built))) {
      throw new Error(
        `apps/demo/${built} is missing: run \`pnpm build && pnpm --filter @helperkit/demo build\` first.`,
      );
    }
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'helperkit-demo-screenshots-'));
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    const started = await startServer(dataDir);
    server = started.child;
    const api = new DemoApi(started.url);
    const scene = await seed(api);

    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US' });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    await capture(await context.newPage(), api, scene);
  } finally {
    await browser?.close();
    if (server?.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `node dist/server/main.js`, as `pnpm --filter @helperkit/demo start`; answers its URL. */
function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['dist/server/main.js'], {
    cwd: DEMO_DIR,
    env: {
      ...process.env,
      HELPER_HMAC_SECRET: 'demo-screenshots-hmac-secret-0123456789abcdef',
      DEMO_STAFF_TOKEN: STAFF_TOKEN,
      HELPERKIT_DEMO_DATABASE: join(dataDir, 'helperkit.sqlite'),
      PORT: '0',
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const found = /helperkit demo: (http:\/\/\S+)/.exec(log);
      if (found) resolve({ child, url: found[1]! });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`The demo server exited (${code}):\n${log}`)));
  });
}

/** The demo's HTTP API: a customer's widget session (through the login cookie) and the staff's. */
class DemoApi {
  constructor(readonly url: string) {}

  async json<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
    const headers = new Headers(init.headers);
    if (init.token !== undefined) headers.set('authorization', `Bearer ${init.token}`);
    if (typeof init.body === 'string') headers.set('content-type', 'application/json');
    const response = await fetch(`${this.url}${path}`, { ...init, headers });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  staff<T>(path: string, method = 'GET', body?: unknown): Promise<T> {
    return this.json<T>(`/helper/staff${path}`, {
      method,
      token: STAFF_TOKEN,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** A widget session for a demo customer, as the host page gets one: cookie, identity, session. */
  async customer(email: string): Promise<Customer> {
    const login = await fetch(`${this.url}/demo/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const { metadata, ...identity } = await this.json<Identity>('/helper/widget/identity', {
      headers: { cookie },
    });
    // The session takes the signed metadata under another name, as the widget sends it.
    const { token } = await this.json<{ token: string }>('/helper/widget/session', {
      method: 'POST',
      body: JSON.stringify({ ...identity, customerMetadata: metadata }),
    });
    return new Customer(this, token);
  }
}

class Customer {
  private sent = 0;

  constructor(
    private readonly api: DemoApi,
    private readonly token: string,
  ) {}

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.api.json<T>(`/helper${path}`, {
      method: 'POST',
      token: this.token,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async start(body: string): Promise<string> {
    const started = await this.post<{ conversation: { id: string } }>('/conversations', { body });
    return started.conversation.id;
  }

  async write(conversation: string, body: string, attachmentIds: string[] = []): Promise<number> {
    const clientId = `screenshots-${++this.sent}`;
    const path = `/conversations/${conversation}/messages`;
    const posted = await this.post<{ message: { id: number } }>(path, {
      body,
      clientId,
      attachmentIds,
    });
    return posted.message.id;
  }

  async upload(conversation: string, name: string, png: Buffer): Promise<string> {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), name);
    const answer = await this.api.json<{ id: string }>(
      `/helper/conversations/${conversation}/attachments`,
      { method: 'POST', token: this.token, body: form },
    );
    return answer.id;
  }
}

type Identity = { email: string; emailHash: string; metadata?: unknown; metadataHash?: string };
type Scene = { carol: Customer; broken: string };

/**
 * Three conversations, as a support inbox has them: Carol's earlier one, closed; Bob's question,
 * still unread by staff; Carol's new one with a photo and a staff reply she has not read yet
 * (the button's badge).
 */
async function seed(api: DemoApi): Promise<Scene> {
  const carol = await api.customer(CAROL);
  const earlier = await carol.start('Can I still change the delivery address of order 1038?');
  await api.staff(`/conversations/${earlier}/messages`, 'POST', {
    body: 'Done: order 1038 now goes to your office address.',
  });
  const thanks = await carol.write(earlier, 'Perfect, thank you!');
  await carol.post(`/conversations/${earlier}/read`, { upTo: thanks });
  await api.staff(`/conversations/${earlier}/read`, 'POST', { upTo: thanks });
  await api.staff(`/conversations/${earlier}`, 'PATCH', { status: 'closed' });

  const bob = await api.customer(BOB);
  await bob.start('Do you ship to Norway? I could not find it in the FAQ.');

  const broken = await carol.start('Hi! Order 1042 arrived today, but the mug is cracked.');
  const photo = await carol.upload(broken, 'cracked-mug.png', photoPng());
  await carol.write(broken, 'Here is a photo.', [photo]);
  await api.staff(`/conversations/${broken}/messages`, 'POST', {
    body: 'So sorry, Carol! A new mug ships today.',
  });
  return { carol, broken };
}

async function capture(page: Page, api: DemoApi, { carol, broken }: Scene): Promise<void> {
  // The host page, logged in as Carol: the button's badge counts the reply she has not read.
  await page.goto(`${api.url}/`);
  await page.getByRole('radio', { name: /^Carol Diaz/ }).check();
  await page.locator('[data-helper-status]').filter({ hasText: 'ready' }).waitFor();
  const button = page.locator('[data-helper-toggle-button]');
  await button.locator('.helperkit-toggle-badge').filter({ hasText: '1' }).waitFor();
  await save(page, 'host-page');

  // The widget on that conversation: her photo, the reply (now read), and support typing.
  await button.click();
  const panel = page.getByRole('dialog');
  await panel.getByRole('button', { name: /A new mug ships/ }).click();
  await waitForImages(panel.locator('img'));
  await panel.getByText('A new mug ships today').waitFor();
  await api.staff(`/conversations/${broken}/typing`, 'POST');
  await panel.locator('.helperkit-typing').filter({ hasText: /\S/ }).waitFor();
  await panel
    .locator('.helperkit-messages')
    .evaluate((list) => (list.scrollTop = list.scrollHeight));
  await save(page, 'widget-open');

  // Closed, then rated by Carol: the inbox shows the rating above the photo and "Seen".
  await api.staff(`/conversations/${broken}`, 'PATCH', { status: 'closed' });
  await carol.post(`/conversations/${broken}/rating`, {
    rating: 'good',
    comment: 'Fast and friendly, thank you!',
  });
  await page.goto(`${api.url}/#/inbox`);
  await page.getByRole('button', { name: /A new mug ships/ }).click();
  const thread = page.getByRole('region', { name: 'Conversation' });
  await thread.locator('.demo-rating').waitFor();
  await thread.locator('.demo-seen').waitFor();
  await waitForImages(thread.locator('img'));
  await save(page, 'dashboard', { fullPage: true });
}

/** Waits until every image under `scope` has loaded (at least one must be there). */
async function waitForImages(images: Locator): Promise<void> {
  await images.first().waitFor();
  await images.evaluateAll((all) =>
    Promise.all(
      (all as HTMLImageElement[]).map((image) =>
        image.complete ? undefined : new Promise((done) => (image.onload = done)),
      ),
    ),
  );
}

async function save(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  // Blinking carets and hover states would make every run differ.
  await page.mouse.move(0, 0);
  const path = join(OUT_DIR, `${name}.png`);
  await page.screenshot({ path, caret: 'hide', animations: 'disabled', ...options });
  const size = statSync(path).size;
  console.log(`${path}: ${Math.round(size / 1000)} kB`);
  if (size > MAX_BYTES) throw new Error(`${name}.png is ${size} bytes, over ${MAX_BYTES}.`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
