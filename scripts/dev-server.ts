// How this project runs the Temporal dev server, shared by `npm start` and the tests.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The Temporal CLI's path from scripts/temporal-cli.sh (which may build it once), or undefined where the
 * SDK should download it (machines with internet access and no Go).
 */
export function temporalCliPath(): string | undefined {
  try {
    const out = execFileSync('bash', [join(__dirname, 'temporal-cli.sh')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    return out.trim().split('\n').pop() || undefined;
  } catch (err) {
    if ((err as { status?: number }).status === 3) return undefined;
    throw err;
  }
}

/**
 * Measured on a 2-core machine: one task-queue partition (instead of four) lets a single worker pick tasks up
 * without waiting on empty partitions; WAL with synchronous=normal doubles SQLite's write throughput.
 */
// prettier-ignore
export const DEV_SERVER_DYNAMIC_CONFIG = [
  '--dynamic-config-value', 'matching.numTaskqueueReadPartitions=1',
  '--dynamic-config-value', 'matching.numTaskqueueWritePartitions=1',
];
export const DEV_SERVER_SQLITE_PRAGMAS = ['--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal'];
