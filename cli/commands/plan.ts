// `cloud-release plan`: a dry run. Nothing is changed; the plan is printed as a table of what is deleted, kept and why.
import type { Command } from 'commander';
import { releaseEnding } from '../../client/outcome';
import { startRelease } from '../../client/release';
import { withClient } from '../connect';
import { run } from '../command';
import { exitCodeOfCompletion, exitCodeOfFailure } from '../exit-codes';
import { formatPlan } from '../format';
import { addRequestOptions, requestFrom } from '../request-input';

export function register(program: Command): void {
  addRequestOptions(
    program
      .command('plan')
      .description('dry run: inspect the resource and print what a release would delete and keep, and why (exit 3 if it would be blocked)'),
  ).action(async (_opts, cmd: Command) =>
    run(cmd, async (out) => {
      const request = requestFrom(cmd, { dryRun: true });
      return withClient(async (client) => {
        const handle = await startRelease(client, request);
        const ending = await releaseEnding(handle);
        const { report } = ending;
        if (ending.ok) {
          out.result(ending.report.plan ? formatPlan(ending.report.plan) : ending.report.summary, {
            workflowId: handle.workflowId,
            outcome: ending.report.outcome,
            report,
          });
          return exitCodeOfCompletion(ending.report.outcome, ending.report.plan?.outcome);
        }
        out.result([...(report?.plan ? formatPlan(report.plan) : []), `${ending.type ?? 'failed'}: ${ending.message}`], {
          workflowId: handle.workflowId,
          outcome: report?.outcome ?? 'failed',
          failureType: ending.type,
          message: ending.message,
          report,
        });
        return exitCodeOfFailure(ending.type);
      });
    }),
  );
}
