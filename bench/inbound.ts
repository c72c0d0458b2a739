// Inbound email through the whole pipeline (HTTP, adapter, mailparser, storage, auto-reply sent
// to a real SMTP server in this process) for a 10 kB message and for one with a 5 MB attachment,
// against bare `simpleParser` on the same input in the same run: messages/s and peak memory.
// The module answers once the message and its reply are on disk and sends the reply right after;
// a message counts only once its auto-reply has reached the SMTP server. Two floors, measured in
// the same rounds: a parse and one durable SQLite commit, what answering only after the message is
// on disk costs at the least; and that plus the auto-reply sent with nodemailer over a pooled
// connection to the same SMTP server, counted when it arrives, as the pipeline's messages are.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HelperChatModule, HelperEmailModule, HelperModule } from '@helperkit/nest';
import Database from 'libsql';
import { simpleParser } from 'mailparser';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import nodemailer from 'nodemailer';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';
import { median } from './lib/measure.js';
import { recordResults } from './lib/results.js';

const MB = 1024 * 1024;
/** The receiving MTA whose authentication results the module trusts (as a host configures it). */
const AUTHSERV_ID = 'mx.bench.example';
const INBOUND_SECRET = 'bench-inbound-secret-0123456789abcdefgh';
const MAILBOX = 'support@bench.example';

let sent = 0;
/** Whom each message's auto-reply goes to: its sender. */
const replyRecipient = new WeakMap<Buffer, string>();

/** A message from a sender of its own, so every one of them gets its auto-reply. */
function message({ attachmentBytes }: { attachmentBytes: number }): Buffer {
  const index = ++sent;
  const raw = composeMessage(index, attachmentBytes);
  replyRecipient.set(raw, `customer-${index}@bench.example.org`);
  return raw;
}

function composeMessage(index: number, attachmentBytes: number): Buffer {
  const text = `Hello,\r\n${'My order is late and I would like to know where it is. '.repeat(180)}\r\n`;
  const head = [
    // As the host's MTA adds it: the sender's domain passed DMARC, so the sender is answered.
    `Authentication-Results: ${AUTHSERV_ID}; dmarc=pass header.from=bench.example.org`,
    `From: Customer ${index} <customer-${index}@bench.example.org>`,
    `To: ${MAILBOX}`,
    `Subject: Order ${index}`,
    `Message-ID: <bench-${index}-${randomBytes(6).toString('hex')}@bench.example.org>`,
    'Date: Wed, 25 Nov 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
  ];
  if (attachmentBytes === 0) {
    return Buffer.from([...head, 'Content-Type: text/plain; charset=utf-8', '', text].join('\r\n'));
  }
  const attachment = randomBytes(attachmentBytes).toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    [
      ...head,
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      text,
      '--b',
      'Content-Type: application/pdf; name="invoice.pdf"',
      'Content-Transfer-Encoding: base64',
      'Content-Disposition: attachment; filename="invoice.pdf"',
      '',
      attachment,
      '--b--',
      '',
    ].join('\r\n'),
  );
}

const gc = (globalThis as { gc?: () => void }).gc;
const usedBytes = () => {
  const memory = process.memoryUsage();
  return memory.heapUsed + memory.external;
};

/**
 * Runs `work` once per message, one at a time: the rate, and the CPU time of this process per
 * message (for the pipeline that includes the HTTP client and the SMTP server of this benchmark).
 */
async function measureRate(messages: Buffer[], work: (raw: Buffer) => Promise<unknown>) {
  let elapsed = 0;
  let cpuMicros = 0;
  for (const raw of messages) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await work(raw);
    elapsed += performance.now() - start;
    const { user, system } = process.cpuUsage(cpu);
    cpuMicros += user + system;
  }
  return {
    perSecond: (messages.length / elapsed) * 1000,
    cpuMs: cpuMicros / 1000 / messages.length,
  };
}

/**
 * The peak memory one message takes: sampled while it is processed, above what was in use just
 * before it, after a full collection (run with --expose-gc) so that garbage of the previous message
 * does not count. Apart from the rate: a forced collection before each message left the next one
 * about twice as slow, which skewed both sides of the rate.
 */
async function measurePeak(messages: Buffer[], work: (raw: Buffer) => Promise<unknown>) {
  let peakBytes = 0;
  for (const raw of messages) {
    gc?.();
    const before = usedBytes();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, usedBytes())), 2);
    await work(raw);
    clearInterval(sampler);
    peakBytes = Math.max(peakBytes, Math.max(peak, usedBytes()) - before);
  }
  return peakBytes;
}

/** Rounds per case: baseline, floors and pipeline take turns, each on its share of the messages. */
const ROUNDS = 4;
/** Messages per side and round whose peak memory is sampled, after the timed ones. */
const PEAK_SAMPLES = 2;
interface Figures {
  perSecond: number;
  cpuMs: number;
  peakBytes: number;
}

/**
 * Baseline, floors and pipeline in interleaved rounds, so a slower moment of the machine hits them
 * alike. Each figure is the median over the rounds, and so is each ratio, taken within its round.
 */
async function compare(sides: Record<Side, { messages: Buffer[]; work: Work }>, count: number) {
  const rounds: Record<Side, Figures>[] = [];
  const share = Math.ceil(count / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    const figures = {} as Record<Side, Figures>;
    for (const side of SIDES) {
      const { messages, work } = sides[side];
      const timed = messages.slice(round * share, (round + 1) * share);
      const sampled = messages.slice(
        count + round * PEAK_SAMPLES,
        count + (round + 1) * PEAK_SAMPLES,
      );
      figures[side] = {
        ...(await measureRate(timed, work)),
        peakBytes: await measurePeak(sampled, work),
      };
    }
    rounds.push(figures);
  }
  const medianOf = (side: Side): Figures => ({
    perSecond: median(rounds.map((round) => round[side].perSecond)),
    cpuMs: median(rounds.map((round) => round[side].cpuMs)),
    peakBytes: median(rounds.map((round) => round[side].peakBytes)),
  });
  const rateRatio = (side: Side) =>
    median(rounds.map((round) => round[side].perSecond / round.baseline.perSecond));
  return {
    baseline: medianOf('baseline'),
    floor: medianOf('floor'),
    floorWithReply: medianOf('floorWithReply'),
    helperkit: medianOf('helperkit'),
    rate: rateRatio('helperkit'),
    floorRate: rateRatio('floor'),
    floorWithReplyRate: rateRatio('floorWithReply'),
    peak: median(
      rounds.map((round) => round.helperkit.peakBytes / Math.max(round.baseline.peakBytes, 1)),
    ),
  };
}

const SIDES = ['baseline', 'floor', 'floorWithReply', 'helperkit'] as const;
type Side = (typeof SIDES)[number];
type Work = (raw: Buffer) => Promise<unknown>;

/**
 * The floor of the pipeline's promise: a parse and one durable commit of the message to SQLite,
 * set up as helperkit sets up its file (WAL, the default synchronous setting), nothing else. A 2xx
 * from the inbound endpoint means the message is on disk, so no pipeline can beat this.
 */
const floorDir = mkdtempSync(join(tmpdir(), 'helperkit-floor-'));
const floorDatabase = new Database(join(floorDir, 'floor.sqlite'));
floorDatabase.exec('PRAGMA journal_mode = WAL');
floorDatabase.exec('create table messages (id integer primary key, subject text, body text)');
const insertFloor = floorDatabase.prepare('insert into messages (subject, body) values (?, ?)');
async function parseAndCommit(raw: Buffer) {
  const parsed = await simpleParser(raw);
  insertFloor.run(parsed.subject ?? '', parsed.text ?? '');
}

/** Auto-replies on their way, by recipient: each settles once the SMTP server took its reply. */
const awaitedReplies = new Map<string, () => void>();
const REPLY_TIMEOUT_MS = 60_000;

/** Settles once the auto-reply to `recipient` has reached the SMTP server. */
function replyArrival(recipient: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      awaitedReplies.delete(recipient);
      reject(new Error(`no auto-reply reached the SMTP server for ${recipient}`));
    }, REPLY_TIMEOUT_MS);
    awaitedReplies.set(recipient, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const smtp = new SMTPServer({
  disabledCommands: ['AUTH', 'STARTTLS'],
  // A reverse DNS lookup per connection would measure the resolver, not helperkit.
  disableReverseLookup: true,
  logger: false,
  onData: (stream, session, callback) => {
    // Read now: the session's envelope is reset once the message has been read.
    const recipients = session.envelope.rcptTo.map(({ address }) => address);
    stream
      .on('data', () => undefined)
      .on('end', () => {
        callback();
        for (const address of recipients) {
          awaitedReplies.get(address)?.();
          awaitedReplies.delete(address);
        }
      });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
const smtpPort = (smtp.server.address() as AddressInfo).port;

/**
 * The floor of what the product must do: the first floor, then the auto-reply, composed as
 * helperkit composes it (threaded, both bodies, a chat link) and sent with nodemailer over a
 * pooled connection as helperkit sends it, counted once it reached the SMTP server. No pipeline
 * that answers every message can beat this either.
 */
const floorTransport = nodemailer.createTransport({
  pool: true,
  host: '127.0.0.1',
  port: smtpPort,
  secure: false,
  ignoreTLS: true,
});
async function parseCommitAndReply(raw: Buffer) {
  const recipient = replyRecipient.get(raw)!;
  const arrived = replyArrival(recipient);
  const parsed = await simpleParser(raw);
  insertFloor.run(parsed.subject ?? '', parsed.text ?? '');
  const link = `https://shop.example.com/help#helper-chat=${randomBytes(150).toString('base64url')}`;
  await floorTransport.sendMail({
    from: MAILBOX,
    to: recipient,
    subject: `Re: ${parsed.subject ?? ''}`,
    messageId: `<${randomUUID()}@bench.example>`,
    inReplyTo: parsed.messageId,
    references: parsed.messageId,
    headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
    envelope: { from: '', to: [recipient] },
    text: `Hello,\n\nContinue your conversation about ${parsed.subject ?? ''} in our chat:\n${link}\n`,
    html: `<p>Hello,</p><p>Continue your conversation in our chat:<br><a href="${link}">${link}</a></p>`,
  });
  await arrived;
}

const dataDir = mkdtempSync(join(tmpdir(), 'helperkit-inbound-'));
@Module({
  imports: [
    HelperModule.forRoot({
      hmacSecrets: ['bench-secret-0123456789abcdef0123456789'],
      adminGuard: { canActivate: () => true },
      database: join(dataDir, 'inbound.sqlite'),
    }),
    HelperChatModule.forRoot(),
    HelperEmailModule.forRoot({
      address: MAILBOX,
      smtp: { host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true },
      inboundSecret: INBOUND_SECRET,
      trustedAuthServIds: [AUTHSERV_ID],
      // Every message gets its auto-reply: the hourly budget is not what is measured.
      maxAutoRepliesPerHour: 1_000_000,
    }),
  ],
})
class InboundBenchModule {}
const app = await NestFactory.create(InboundBenchModule, { logger: false });
await app.listen(0, '127.0.0.1');
const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
await fetch(`${base}/helper/settings`, {
  method: 'PATCH',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    autoRespondEmailToChat: true,
    widgetHost: 'https://shop.example.com/help',
  }),
});

/**
 * Posts a raw message as the host's MTA would; answers the status and the JSON body. Node's own
 * HTTP client with a kept-alive connection: fetch cost this process about a millisecond of CPU a
 * message, which is not helperkit's.
 */
const inbound = new http.Agent({ keepAlive: true, maxSockets: 1 });
function postInbound(raw: Buffer): Promise<{ status: number; answer: { autoReply?: string } }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${base}/helper/email/inbound`,
      {
        method: 'POST',
        agent: inbound,
        headers: {
          authorization: `Bearer ${INBOUND_SECRET}`,
          'content-type': 'message/rfc822',
          'content-length': raw.length,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            answer: JSON.parse(Buffer.concat(chunks).toString('utf8')) as { autoReply?: string },
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(raw);
  });
}

async function pipeline(raw: Buffer) {
  const arrived = replyArrival(replyRecipient.get(raw)!);
  const { status, answer } = await postInbound(raw);
  if (status !== 200 || answer.autoReply !== 'queued') {
    throw new Error(`inbound answered ${status}: ${JSON.stringify(answer)}`);
  }
  await arrived;
}

/** What each side does with one message. */
const WORK: Record<Side, Work> = {
  baseline: (raw) => simpleParser(raw),
  floor: parseAndCommit,
  floorWithReply: parseCommitAndReply,
  helperkit: pipeline,
};

const cases = [
  { key: 'small', name: '10 kB message', count: 200, warmUp: 100, attachmentBytes: 0 },
  {
    key: 'large',
    name: 'message with a 5 MB attachment',
    count: 12,
    warmUp: 2,
    attachmentBytes: 5 * MB,
  },
];
const ratios: Record<
  string,
  { rate: number; peak: number; floorRate: number; floorWithReplyRate: number }
> = {};
/** The goal for the 10 kB message: the pipeline's msg/s over the baseline's. */
const GOAL = 0.5;
const mb = (bytes: number) => (bytes / MB).toFixed(1);
console.log(
  `\ninbound email (nest): whole pipeline vs bare simpleParser, one message at a time, ` +
    `${ROUNDS} interleaved rounds (medians);`,
);
console.log(
  'peak: the most memory one message took while processed; x msg: that peak / the message size',
);
console.log(
  'cpu ms: CPU time of this process per message (the pipeline: client and SMTP server too)',
);
console.log(
  `${'case'.padEnd(58)}${'msg/s'.padStart(9)}${'cpu ms'.padStart(8)}${'peak MB'.padStart(9)}` +
    `${'x msg'.padStart(7)}`,
);
for (const { key, name, count, warmUp, attachmentBytes } of cases) {
  const messages = () =>
    Array.from({ length: count + ROUNDS * PEAK_SAMPLES }, () => message({ attachmentBytes }));
  const size = message({ attachmentBytes }).length;
  // Warm-up, not counted: every side handles messages of this size first, so that the rounds
  // measure code the JIT has compiled, as in a server that has run a while, and the pipeline's
  // and the floor's pooled SMTP connections are open. With one message only, the rounds measured
  // mostly the compiler: the floor with the reply took 7-9 ms of CPU a message, 3-4 ms warm.
  for (let index = 0; index < warmUp; index++) {
    for (const side of SIDES) await WORK[side](message({ attachmentBytes }));
  }
  const { baseline, floor, floorWithReply, helperkit, rate, floorRate, floorWithReplyRate, peak } =
    await compare(
      Object.fromEntries(
        SIDES.map((side) => [side, { messages: messages(), work: WORK[side] }]),
      ) as Record<Side, { messages: Buffer[]; work: Work }>,
      count,
    );
  for (const [label, figures] of [
    [`baseline: simpleParser, ${name} (${mb(size)} MB)`, baseline],
    [`floor: simpleParser + one durable SQLite commit`, floor],
    [`floor + the auto-reply (nodemailer, pooled), arrived`, floorWithReply],
    [`helperkit pipeline, ${name}`, helperkit],
  ] as const) {
    console.log(
      `${label.padEnd(58)}${figures.perSecond.toFixed(1).padStart(9)}` +
        `${figures.cpuMs.toFixed(2).padStart(8)}${mb(figures.peakBytes).padStart(9)}` +
        `${(figures.peakBytes / size).toFixed(1).padStart(7)}`,
    );
  }
  ratios[key] = { rate, peak, floorRate, floorWithReplyRate };
  console.log(
    `ratio ${name}: msg/s ${rate.toFixed(2)} (the floors: ${floorRate.toFixed(2)} parse + ` +
      `commit, ${floorWithReplyRate.toFixed(2)} with the reply), ` +
      `cpu/msg ${(baseline.cpuMs / helperkit.cpuMs).toFixed(2)} (baseline / pipeline), ` +
      `peak memory ${peak.toFixed(1)} x baseline`,
  );
}
const small = ratios.small!;
if (small.rate < GOAL) {
  const [pipelineRatio, floorRatio, withReply] = [
    small.rate,
    small.floorRate,
    small.floorWithReplyRate,
  ].map((ratio) => ratio.toFixed(2));
  console.log(
    small.floorWithReplyRate < GOAL
      ? `why: ${GOAL} is out of reach here for any implementation that answers every 10 kB ` +
          `message: a parse, one durable commit and the auto-reply sent over SMTP alone reach ` +
          `${withReply} of the baseline (parse + commit: ${floorRatio}); helperkit: ${pipelineRatio}`
      : `not met: the floor with the reply reaches ${withReply} and helperkit ${pipelineRatio}: ` +
          'the difference is helperkit’s own work (HTTP, rules, storage, see README.md)',
  );
}
const round = (value: number) => Math.round(value * 1000) / 1000;
recordResults({
  'inbound.small.ratio': round(ratios.small!.rate),
  'inbound.large.peakRatio': round(ratios.large!.peak),
  'inbound.small.floorRatio': round(small.floorRate),
  'inbound.small.floorWithReplyRatio': round(small.floorWithReplyRate),
});

await app.close();
floorTransport.close();
smtp.close();
floorDatabase.close();
rmSync(dataDir, { recursive: true, force: true });
rmSync(floorDir, { recursive: true, force: true });
