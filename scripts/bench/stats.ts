// Figures of the bench: percentiles, the CPU and memory of a process (from /proc: Linux), request rates.
import { readFileSync, readdirSync } from 'node:fs';

/** Nearest-rank percentile of an unsorted list. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface ProcessReading {
  /** User + system CPU, ms. */
  cpuMs: number;
  rssBytes: number;
}

const TICK_MS = 10; // USER_HZ is 100 on every mainstream Linux build

/** CPU and RSS of a process, read from /proc; undefined where there is none (not Linux) or it has exited. */
export function readProcess(pid: number | undefined): ProcessReading | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "pid (comm) ": state(3) … utime(14) stime(15), counted from the state field.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
    return { cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS, rssBytes: rssKb * 1024 };
  } catch {
    return undefined;
  }
}

/** The pid of this process's child running `command` (the dev server the testing library spawned). */
export function childPid(command: string): number | undefined {
  try {
    for (const p of readdirSync('/proc')) {
      if (!/^\d+$/.test(p)) continue;
      try {
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
        if (comm === command && ppid === String(process.pid)) return Number(p);
      } catch {
        // exited meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return undefined;
}

/** The most requests seen in any window of `windowMs` (times in ms, any order): the rate a provider saw at its peak. */
export function peakInWindow(times: number[], windowMs = 1_000): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < t.length; j++) {
    while (t[j] - t[i] >= windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

/** Requests per second from the first to the last of `times` (ms). */
export function averageRate(times: number[]): number {
  if (times.length < 2) return NaN;
  const span = Math.max(...times) - Math.min(...times);
  return span > 0 ? ((times.length - 1) * 1000) / span : NaN;
}
