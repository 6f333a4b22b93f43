// `cloud-release show`: the report of a release that ended (its result, or its failure's details), or the
// progress of one still running.
import type { Command } from 'commander';
import { releaseEnding } from '../../client/outcome';
import { progress } from '../../client/release';
import type { releaseResource } from '../../workflows';
import { withClient } from '../connect';
import { run } from '../command';
import { ExitCode, exitCodeOfCompletion, exitCodeOfFailure } from '../exit-codes';
import { pendingGate, unblockCommand } from '../follow';
import { formatProgress, formatReport } from '../format';
import { parseTarget, TARGET_HELP } from '../target';

export function register(program: Command): void {
  program
    .command('show')
    .description('print the report of a release (exit code as it ended), or the progress of a running one (exit 5 when it waits for a person, else 7)')
    .argument('<release>', TARGET_HELP)
    .action(async (text: string, _opts, cmd: Command) =>
      run(cmd, async (out) => {
        const target = parseTarget(text);
        return withClient(async (client) => {
          const handle = client.workflow.getHandle<typeof releaseResource>(target.workflowId);
          const { status } = await handle.describe();
          if (status.name === 'RUNNING') {
            const p = await progress(handle);
            const gate = pendingGate(p);
            out.result([...formatProgress(target.workflowId, p), ...(gate ? ['', `run: ${unblockCommand(target.workflowId, gate)}`] : [])], {
              workflowId: target.workflowId,
              status: status.name,
              progress: p,
            });
            return gate ? ExitCode.waiting : ExitCode.running;
          }
          const ending = await releaseEnding(handle);
          const { report } = ending;
          const failure = ending.ok ? [] : [`${ending.type ?? status.name}: ${ending.message}`];
          out.result([...(report ? formatReport(report) : []), ...failure], {
            workflowId: target.workflowId,
            status: status.name,
            ...(ending.ok ? {} : { failureType: ending.type, message: ending.message }),
            report,
          });
          return ending.ok ? exitCodeOfCompletion(ending.report.outcome, ending.report.plan?.outcome) : exitCodeOfFailure(ending.type);
        }, target);
      }),
    );
}
