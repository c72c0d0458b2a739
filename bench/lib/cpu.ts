import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (user + system) this process has used so far, in ms: every thread, so both servers. */
export const ownCpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

// Linux counts process CPU in clock ticks of 10 ms (USER_HZ is 100 on every mainstream kernel).
const MS_PER_TICK = 10;

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
      // "pid (comm) state ..."; comm may hold spaces, so split after its closing parenthesis.
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== name) continue;
      const fields = stat.slice(close + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    } catch {
      // the process ended while we read
    }
  }
  return ticks * MS_PER_TICK;
}
