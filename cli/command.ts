// What every command shares: its output mode (--json is global) and how its exit code is set.
import { InvalidArgumentError, type Command } from 'commander';
import type { ExitCodeValue } from './exit-codes';
import { Output } from './output';

/** Run a command's body; its answer is the process's exit code (errors are handled by main). */
export async function run(cmd: Command, body: (out: Output) => Promise<ExitCodeValue>): Promise<void> {
  process.exitCode = await body(new Output(cmd.optsWithGlobals<{ json?: boolean }>().json === true));
}

/** A polling interval in seconds, as commander parses an option. */
export function seconds(text: string): number {
  const n = Number(text);
  if (!(n > 0 && n <= 3600)) throw new InvalidArgumentError('expected a number of seconds from 0.1 to 3600');
  return n * 1000;
}
