import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (user + system) this process has used so far, in ms, every thread. */
export const ownCpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

// Linux counts process CPU in clock ticks of 10 ms (USER_HZ is 100 on every mainstream kernel).
const MS_PER_TICK = 10;

/** A /proc stat file's line, or undefined when its process or thread has ended (or no /proc). */
function readStat(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** A /proc directory's entries, or none when its process has ended (or there is no /proc). */
function listProc(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/** The CPU time of a stat line in ms; 0 for a process or thread that has ended. */
const statMs = (stat: string | undefined): number =>
  stat === undefined ? 0 : statTicks(stat) * MS_PER_TICK;

/** CPU time (user + system) one process has used so far, in ms, from /proc; 0 once it ended. */
export const processCpuMs = (pid: number): number => statMs(readStat(`/proc/${pid}/stat`));

/**
 * CPU time (user + system) used so far by every thread of a process except its main thread, in
 * ms, from /proc; 0 once it ended or where there is no /proc. In Node these are V8's platform
 * workers (the optimising compiler and the GC's helpers) and libuv's pool: work that shows how far
 * from warm a server still is, because the compiler stops once the hot code is compiled.
 */
export const backgroundThreadsCpuMs = (pid: number): number =>
  listProc(`/proc/${pid}/task`)
    .filter((tid) => tid !== String(pid))
    .reduce((ms, tid) => ms + statMs(readStat(`/proc/${pid}/task/${tid}/stat`)), 0);

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
  for (const pid of listProc('/proc').filter((entry) => /^\d+$/.test(entry))) {
    const stat = readStat(`/proc/${pid}/stat`);
    if (stat !== undefined && statName(stat) === name) usage.set(pid, statMs(stat));
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
