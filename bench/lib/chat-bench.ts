import 'reflect-metadata';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { HelperChatModule, HelperModule, type HelperModuleOptions } from '@helperkit/nest';
import type { AddressInfo } from 'node:net';
import {
  constants,
  PerformanceObserver,
  performance,
  type PerformanceEntry,
} from 'node:perf_hooks';
import type { LoadPlan, LoadResult, PhaseResult } from './chat-load.js';
import { CONNECTED, GO, MEASURING } from './chat-protocol.js';
import {
  backgroundThreadsCpuMs,
  ownCpuMs,
  processCpuMs,
  processesCpu,
  processesCpuMsSince,
} from './cpu.js';
import { percentile } from './measure.js';
import { forkScript, startServerProcess, type ServerProcess } from './server-process.js';

/** A load's result, with the CPU time each party used while the messages flowed (ms). */
export interface MeasuredLoad extends LoadResult {
  /** The helperkit instance(s) under test: this process and any instance process of its own. */
  serverCpuMs: number;
  /** The part of `serverCpuMs` outside the instances' main threads: the JIT compiler, GC helpers. */
  serverBackgroundCpuMs: number;
  /** Every PostgreSQL process (0 for SQLite, whatever else runs on the server aside). */
  postgresCpuMs: number;
  /**
   * Full (mark-compact) collections of this process's heap while the measured messages flowed,
   * and their pauses in ms: the instance started here with `startHelperApp` (with two instances,
   * the one that takes the posts). Each full collection marks the heap on a helper thread for
   * about a tenth of a second before its pause, taking CPU the load shares.
   */
  majorGcs: number;
  majorGcPauseMs: number;
}

/** Counts this process's full collections from now, or from the last `restart()`. */
function countMajorGcs() {
  let from = performance.now();
  const seen: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => seen.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return {
    restart() {
      from = performance.now();
      seen.length = 0;
    },
    /** The collections so far; stops observing. */
    finish() {
      const major = [...seen, ...observer.takeRecords()].filter(
        (entry) =>
          entry.startTime >= from &&
          (entry as { detail?: { kind?: number } }).detail?.kind ===
            constants.NODE_PERFORMANCE_GC_MAJOR,
      );
      observer.disconnect();
      return {
        majorGcs: major.length,
        majorGcPauseMs: major.reduce((ms, entry) => ms + entry.duration, 0),
      };
    },
  };
}

/**
 * Runs the load generator in its own process, so the servers keep the CPU to themselves.
 * `onConnected` runs once every client's stream is open, before the first message is posted
 * (to measure what the open connections cost the server). `instancePids`: the processes of
 * instances started with `startHelperProcess`, whose CPU counts as the server's.
 */
export function runLoad(
  plan: LoadPlan,
  onConnected: () => void | Promise<void> = () => undefined,
  { instancePids = [] }: { instancePids?: number[] } = {},
): Promise<MeasuredLoad> {
  const serverCpuMs = () => instancePids.reduce((sum, pid) => sum + processCpuMs(pid), ownCpuMs());
  const backgroundCpuMs = () =>
    [process.pid, ...instancePids].reduce((sum, pid) => sum + backgroundThreadsCpuMs(pid), 0);
  const child = forkScript(new URL('./chat-load.ts', import.meta.url));
  const cpuNow = () => ({
    server: serverCpuMs(),
    background: backgroundCpuMs(),
    postgres: processesCpu('postgres'),
  });
  // CPU time and collections count from the first measured post: the first post, or the end of
  // the warm-up.
  let cpuAtStart = cpuNow();
  const gcs = countMajorGcs();
  const startMeasuring = () => {
    cpuAtStart = cpuNow();
    gcs.restart();
  };
  return new Promise((resolve, reject) => {
    child.on('message', (message) => {
      if (message === CONNECTED) {
        void Promise.resolve(onConnected()).then(() => {
          startMeasuring();
          child.send(GO);
        }, reject);
      } else if (message === MEASURING) {
        startMeasuring();
      } else {
        resolve({
          ...(message as LoadResult),
          serverCpuMs: serverCpuMs() - cpuAtStart.server,
          serverBackgroundCpuMs: backgroundCpuMs() - cpuAtStart.background,
          postgresCpuMs: processesCpuMsSince('postgres', cpuAtStart.postgres),
          ...gcs.finish(),
        });
      }
    });
    child.once(
      'exit',
      (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)),
    );
    child.send(plan);
  });
}

export interface ChatFigures {
  name: string;
  delivered: number;
  sent: number;
  failedPosts: number;
  failureReasons: Record<string, number>;
  perSecond: number;
  p50: number;
  p99: number;
}

/** A part of a load (the measured one, or the warm-up with its length) as a table's row. */
export function summarise(name: string, result: PhaseResult & { elapsedMs: number }): ChatFigures {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  return {
    name,
    delivered: result.delivered,
    sent: result.sent,
    failedPosts: result.failedPosts,
    failureReasons: result.failureReasons,
    perSecond: (result.delivered / result.elapsedMs) * 1000,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

export function printChatFigures(title: string, rows: ChatFigures[]): void {
  console.log(`\n${title}`);
  console.log(
    `${'case'.padEnd(48)}${'delivered'.padStart(12)}${'msg/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'failed posts'.padStart(14)}`,
  );
  for (const row of rows) {
    console.log(
      `${row.name.padEnd(48)}${`${row.delivered}/${row.sent}`.padStart(12)}${row.perSecond.toFixed(1).padStart(9)}` +
        `${row.p50.toFixed(1).padStart(9)}${row.p99.toFixed(1).padStart(9)}${String(row.failedPosts).padStart(14)}`,
    );
  }
  // A failed post is a finding: say why, so nobody has to guess from a count.
  for (const row of rows.filter((row) => row.failedPosts > 0)) {
    const reasons = Object.entries(row.failureReasons).map(([why, count]) => `${count} x ${why}`);
    console.log(`${row.name}: failed posts: ${reasons.join(', ')}`);
  }
}

/** Nest's HTTP platforms helperkit runs on: Express (Nest's default) or Fastify. */
export type HttpPlatform = 'express' | 'fastify';

/** A Nest app with helperkit only, staff allowed in, listening on a loopback port. */
export async function startHelperApp(
  database: HelperModuleOptions['database'],
  platform: HttpPlatform = 'express',
): Promise<{ app: INestApplication; url: string }> {
  @Module({
    imports: [
      HelperModule.forRoot({
        hmacSecrets: ['bench-secret-0123456789abcdef0123456789'],
        adminGuard: { canActivate: () => true },
        database,
        // Every simulated client comes from 127.0.0.1 with a session, a conversation and a
        // stream of its own: far past the per-IP defaults, which are not what is measured.
        limits: {
          sessionsPerIpPerHour: 100_000,
          conversationsPerIpPerHour: 100_000,
          streamsPerIp: 100_000,
        },
      }),
      HelperChatModule.forRoot(),
    ],
  })
  class BenchModule {}
  const app =
    platform === 'fastify'
      ? await NestFactory.create(BenchModule, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(BenchModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
}

export async function stopHelperApp(app: INestApplication): Promise<void> {
  app.getHttpServer().closeAllConnections();
  await app.close();
}

/**
 * A helperkit instance in a process of its own (lib/helper-instance.ts), as a second instance of a
 * deployed app runs: answers its base URL, its process id and how to stop it.
 */
export const startHelperProcess = (database: { url: string }): Promise<ServerProcess> =>
  startServerProcess(new URL('./helper-instance.ts', import.meta.url), database);
