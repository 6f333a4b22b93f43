// `cloud-release watch`: follow a release, one line per change of phase, until it ends.
import type { Command } from 'commander';
import { withClient } from '../connect';
import { run, seconds } from '../command';
import { follow } from '../follow';
import { parseTarget, TARGET_HELP } from '../target';

export function register(program: Command): void {
  program
    .command('watch')
    .description('follow a release: each change of phase, what it waits for and the command that unblocks it, then how it ended')
    .argument('<release>', TARGET_HELP)
    .option('--exit-when-waiting', 'stop (exit 5) when the release waits for a confirmation or an approval')
    .option('--interval <seconds>', 'how often to poll its progress', seconds, 1000)
    .action(async (text: string, opts: { exitWhenWaiting?: boolean; interval: number }, cmd: Command) =>
      run(cmd, async (out) => {
        const target = parseTarget(text);
        return withClient(
          (client) => follow(client, target.workflowId, out, { intervalMs: opts.interval, exitWhenWaiting: opts.exitWhenWaiting === true }),
          target,
        );
      }),
    );
}
