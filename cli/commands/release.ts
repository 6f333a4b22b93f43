// `cloud-release release`: start the release of a resource under its canonical ID, or join the one running,
// then follow it like `watch` (or return at once with --no-wait).
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Command } from 'commander';
import { startRelease } from '../../client/release';
import { SA } from '../../common/temporal';
import { dryRunWorkflowId, releaseWorkflowId } from '../../domain/request';
import { withClient } from '../connect';
import { run, seconds } from '../command';
import { CliError, ExitCode } from '../exit-codes';
import { follow } from '../follow';
import { addRequestOptions, requestFrom } from '../request-input';

export function register(program: Command): void {
  addRequestOptions(
    program
      .command('release')
      .description('start the release of a resource (or join the one running for it), then follow it to its end')
      .option('--no-wait', 'return as soon as the release is started or joined')
      .option('--exit-when-waiting', 'stop following (exit 5) when the release waits for a confirmation or an approval')
      .option('--interval <seconds>', 'how often to poll its progress', seconds, 1000),
  ).action(async (opts: { wait: boolean; exitWhenWaiting?: boolean; interval: number }, cmd: Command) =>
    run(cmd, async (out) => {
      const request = requestFrom(cmd);
      return withClient(async (client) => {
        const workflowId = request.dryRun ? dryRunWorkflowId(request) : releaseWorkflowId(request);
        const running = await runningRequester(client, workflowId);
        const handle = await startRelease(client, request).catch((err: unknown) => {
          if (err instanceof WorkflowExecutionAlreadyStartedError) {
            throw new CliError(`${err.message}; its report: cloud-release show ${workflowId}`, ExitCode.refused);
          }
          throw err;
        });
        const joined = running !== undefined;
        out.note(joined ? `joined the running release ${workflowId} (requested by ${running || 'unknown'})` : `started ${workflowId}`);
        if (!opts.wait) {
          out.result(`follow it with: cloud-release watch ${workflowId}`, { workflowId, runId: handle.firstExecutionRunId, joined });
          return ExitCode.ok;
        }
        return follow(client, workflowId, out, { intervalMs: opts.interval, exitWhenWaiting: opts.exitWhenWaiting === true });
      });
    }),
  );
}

/** The requester of the release running under this ID, '' when it has not said yet, undefined when none runs. */
async function runningRequester(client: Client, workflowId: string): Promise<string | undefined> {
  try {
    const d = await client.workflow.getHandle(workflowId).describe();
    return d.status.name === 'RUNNING' ? (d.typedSearchAttributes.get(SA.requester) ?? '') : undefined;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}
