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
 * CPU time used so far by every process of a given name (PostgreSQL runs one process per
 * connection, all named `postgres`), read from /proc; 0 where there is no /proc. Processes that
 * ended in between are not counted, so a figure is a lower bound: the connections here live for
 * the whole run.
 */
export function processesCpuMs(name: string): number {
  let ticks = 0;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (statName(stat) === name) ticks += statTicks(stat);
    } catch {
      // the process ended while we read
    }
  }
  return ticks * MS_PER_TICK;
}
