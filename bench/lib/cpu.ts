import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (user + system) this process has used so far, in ms, every thread. */
export const ownCpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

// Linux counts process CPU in clock ticks of 10 ms (USER_HZ is 100 on every mainstream kernel).
const MS_PER_TICK = 10;

/** CPU time (user + system) one process has used so far, in ms, from /proc; 0 once it ended. */
export function processCpuMs(pid: number): number {
  try {
    return statTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')) * MS_PER_TICK;
  } catch {
    return 0;
  }
}

/**
 * CPU time (user + system) used so far by every thread of a process except its main thread, in
 * ms, from /proc; 0 once it ended or where there is no /proc. In Node these are V8's platform
 * workers (the optimising compiler and the GC's helpers) and libuv's pool: work that shows how far
 * from warm a server still is, because the compiler stops once the hot code is compiled.
 */
export function backgroundThreadsCpuMs(pid: number): number {
  let ticks = 0;
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`).filter((tid) => tid !== String(pid));
  } catch {
    return 0;
  }
  for (const tid of threads) {
    try {
      ticks += statTicks(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
    } catch {
      // the thread ended while we read
    }
  }
  return ticks * MS_PER_TICK;
}

/** The utime and stime of a /proc/<pid>/stat line, in ticks. */
function statTicks(stat: string): number {
  // "pid (comm) state ..."; comm may hold spaces, so split after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
}

/** The command name of a /proc/<pid>/stat line. */
const statName = (stat: string): string => stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));

/**
 * CPU time used so far by each process of a given name (PostgreSQL runs one process per
 * connection, all named `postgres`), by process id, read from /proc; empty where there is no
 * /proc. Compare two with `processesCpuMsSince`.
 */
export function processesCpu(name: string): Map<string, number> {
  const usage = new Map<string, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return usage;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (statName(stat) === name) usage.set(pid, statTicks(stat) * MS_PER_TICK);
    } catch {
      // the process ended while we read
    }
  }
  return usage;
}

/**
 * CPU time the processes of a given name used since `before` (a `processesCpu` reading): what each
 * one running now used since then, a process started since counting whole. One that ended in
 * between is left out, so the figure is a lower bound (the connections measured here live for the
 * whole run). Subtracting two totals instead went negative when one ended (an autovacuum worker).
 */
export function processesCpuMsSince(name: string, before: Map<string, number>): number {
  let ms = 0;
  for (const [pid, now] of processesCpu(name)) ms += now - (before.get(pid) ?? 0);
  return ms;
}
