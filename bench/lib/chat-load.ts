// Load generator of the chat benchmark, run in its own process so the server under test has a
// core to itself: connects N SSE clients, posts messages at a steady rate, and measures how long
// each takes to reach its client. Reports JSON to the parent over IPC.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { CONNECTED, MEASURING } from './chat-protocol.js';

export interface LoadPlan {
  mode: 'helperkit' | 'echo';
  /** One base URL per server instance: clients connect to them in turn, posts go to them in turn. */
  bases: string[];
  clients: number;
  ratePerSecond: number;
  durationMs: number;
  /**
   * Posts at the same rate for this long first, on the same clients and connections, without
   * counting them (reported apart as `warmUp`): the measured part then starts in the steady state,
   * not with this process, its connections and the server's code paths all cold.
   */
  warmUpMs?: number;
}

/** What happened to one part of a load's messages. */
export interface PhaseResult {
  sent: number;
  /** Posts the server did not accept (refused, or not answered): never delivered either. */
  failedPosts: number;
  /** Why they failed: the status answered or the socket's error code, and how many times. */
  failureReasons: Record<string, number>;
  delivered: number;
  latenciesMs: number[];
}

/** The measured messages (those posted after the warm-up), and the warm-up's apart. */
export interface LoadResult extends PhaseResult {
  /** From the first measured post to the last delivery. */
  elapsedMs: number;
  /** CPU time the load generator itself used over `elapsedMs`, in ms. */
  cpuMs: number;
  warmUp: PhaseResult;
}

// Streams hold their connection for good; posts reuse a pool of kept-alive ones.
const streams = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const posts = new http.Agent({ keepAlive: true, maxSockets: 64 });
const cpuMs = ({ user, system }: NodeJS.CpuUsage) => (user + system) / 1000;
const clock = () => performance.timeOrigin + performance.now();

async function json<T>(url: string, init: RequestInit): Promise<T> {
  const response = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * Opens a stream and calls `onEvent` for each event until the process ends. Node's own HTTP client
 * rather than fetch, here and for the posts: the generator shares the machine's cores with the
 * servers it measures, and fetch's web streams cost it about a millisecond of CPU per message.
 */
function listen(url: string, onEvent: (event: EventSourceMessage) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: streams, headers: { accept: 'text/event-stream' } }, (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          reject(new Error(`stream ${url}: ${response.statusCode}`));
          return;
        }
        const parser = createParser({ onEvent });
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => parser.feed(chunk));
        response.on('error', () => undefined);
        resolve();
      })
      .on('error', reject);
  });
}

/** Posts a JSON body; resolves on a 2xx answer, rejects otherwise. */
function post(url: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent: posts,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          (response.statusCode ?? 0) < 300
            ? resolve()
            : reject(new Error(`${response.statusCode}`)),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

interface Client {
  /** Where a message for this client is posted. */
  postUrl: string;
  ready: Promise<void>;
}

async function connectHelperkitClient(
  base: string,
  postBase: string,
  onMessage: (sentAt: number) => void,
): Promise<Client> {
  const { token } = await json<{ token: string }>(`${base}/helper/widget/session`, {
    method: 'POST',
    body: '{}',
  });
  const auth = { authorization: `Bearer ${token}` };
  const { conversation } = await json<{ conversation: { id: string } }>(
    `${base}/helper/conversations`,
    {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ body: 'Hello, I have a question.' }),
    },
  );
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  await listen(`${base}/helper/events?token=${token}`, (event) => {
    if (event.event === 'ready') markReady();
    if (event.event !== 'message') return;
    const { message } = JSON.parse(event.data) as { message: { author: string; body: string } };
    if (message.author === 'staff') onMessage(Number(message.body));
  });
  // Posted through another instance than the stream's when there are several: delivery crosses.
  return { postUrl: `${postBase}/helper/staff/conversations/${conversation.id}/messages`, ready };
}

async function connectEchoClient(
  base: string,
  index: number,
  onMessage: (sentAt: number) => void,
): Promise<Client> {
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  await listen(`${base}/events/${index}`, (event) => {
    if (event.event === 'ready') markReady();
    else onMessage(Number(JSON.parse(event.data).body));
  });
  return { postUrl: `${base}/send/${index}`, ready };
}

async function run(plan: LoadPlan): Promise<LoadResult> {
  const newPhase = (): PhaseResult => ({
    sent: 0,
    failedPosts: 0,
    failureReasons: {},
    delivered: 0,
    latenciesMs: [],
  });
  const warmUp = newPhase();
  const measured = newPhase();
  // Each message carries the time it was posted: those posted before this are the warm-up's.
  let measuredFrom = Infinity;
  const onMessage = (sentAt: number) => {
    const phase = sentAt < measuredFrom ? warmUp : measured;
    phase.latenciesMs.push(clock() - sentAt);
    phase.delivered++;
  };
  const clients: Client[] = [];
  for (let index = 0; index < plan.clients; index++) {
    const base = plan.bases[index % plan.bases.length]!;
    const postBase = plan.bases[(index + 1) % plan.bases.length]!;
    clients.push(
      plan.mode === 'helperkit'
        ? await connectHelperkitClient(base, postBase, onMessage)
        : await connectEchoClient(base, index, onMessage),
    );
  }
  await Promise.all(clients.map((client) => client.ready));
  await new Promise<void>((resolve) => {
    process.once('message', () => resolve());
    process.send!(CONNECTED);
  });

  const postsIn = (ms: number) => Math.round((plan.ratePerSecond * ms) / 1000);
  const warmUpPosts = postsIn(plan.warmUpMs ?? 0);
  const total = warmUpPosts + postsIn(plan.durationMs);
  const intervalMs = 1000 / plan.ratePerSecond;
  let cpuAtStart = process.cpuUsage();
  const started = clock();
  const inFlight: Promise<unknown>[] = [];
  for (let sent = 0; sent < total; sent++) {
    // Steady rate: each post waits for its slot, whether or not earlier ones have been answered.
    const wait = started + sent * intervalMs - clock();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (sent === warmUpPosts) {
      measuredFrom = clock();
      cpuAtStart = process.cpuUsage();
      // The parent starts counting the servers' CPU time here too.
      if (warmUpPosts > 0) process.send!(MEASURING);
    }
    const phase = sent < warmUpPosts ? warmUp : measured;
    phase.sent++;
    inFlight.push(
      post(
        clients[sent % clients.length]!.postUrl,
        JSON.stringify({ body: String(clock()) }),
      ).catch((error: NodeJS.ErrnoException) => {
        phase.failedPosts++;
        const reason = error.code ?? `HTTP ${error.message}`;
        phase.failureReasons[reason] = (phase.failureReasons[reason] ?? 0) + 1;
      }),
    );
  }
  await Promise.all(inFlight);
  // A failed post is never delivered: waiting for it would stretch the measured time by the
  // deadline (and the CPU windows with it).
  const deliverable = total - warmUp.failedPosts - measured.failedPosts;
  const deadline = clock() + 10_000;
  while (warmUp.delivered + measured.delivered < deliverable && clock() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  return {
    ...measured,
    elapsedMs: clock() - measuredFrom,
    cpuMs: cpuMs(process.cpuUsage(cpuAtStart)),
    warmUp,
  };
}

process.once('message', (plan: LoadPlan) => {
  run(plan).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
