// `cloud-release sweep …`: a one-off decommission sweep from a policy file (validated before anything starts;
// report mode releases nothing), its result or progress, and an owner's opt-out during the grace period.
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import type { Command } from 'commander';
import { optOut, startSweep, sweepWorkflowId, type SweepHandle } from '../../client/sweep';
import { isFailure, type BatchOutcome } from '../../domain/batch';
import { validateOptOut, validateSweepPolicy, type SweepPolicy } from '../../domain/sweep-policy';
import type { decommissionSweep } from '../../workflows';
import { sweepProgressQuery, type SweepResult } from '../../workflows/sweep-messages';
import { run } from '../command';
import { withClient } from '../connect';
import { CliError, ExitCode, type ExitCodeValue } from '../exit-codes';
import { invalid, readJsonFile } from '../json-input';
import type { Output } from '../output';
import { formatSweepProgress, formatSweepResult } from '../sweep-format';
import { withWorkflow, type Subject } from '../workflow-call';

const SWEEP_HELP = 'the policy name (a one-off sweep, sweep/<name>) or a workflow ID (sweep/<name>-<time> for a scheduled run)';

const subject = (text: string): Subject => ({
  kind: 'sweep',
  workflowId: text.includes('/') ? text : sweepWorkflowId(text),
  hint: 'check the name, or list sweeps with `temporal workflow list --query \'WorkflowType="decommissionSweep"\'`',
});

/** A policy file, validated like the workflow's input: field errors exit 2. */
export function policyFrom(path: string): SweepPolicy {
  const policy = readJsonFile(path, 'policy');
  const v = validateSweepPolicy(policy);
  if (!v.ok) throw invalid('sweep policy', v.errors, 'nothing was started');
  return policy as SweepPolicy;
}

export function register(program: Command): void {
  const sweep = program.command('sweep').description('decommission sweeps (the decommissionSweep workflow): run one, show it, opt a resource out');
  sweep
    .command('run')
    .description('run a sweep of a policy now, as sweep/<name>, and print its result (report mode, as the policy says, releases nothing)')
    .requiredOption('-f, --input-file <path>', 'the policy as a JSON file, like examples/fleet/sweep-expired.json ("-" for stdin)')
    .option('--no-wait', 'return as soon as the sweep is started')
    .action(async (opts: { inputFile: string; wait: boolean }, cmd: Command) =>
      run(cmd, async (out) => {
        const policy = policyFrom(opts.inputFile);
        return withClient(async (client) => {
          const handle = await startSweep(client, policy).catch((err: unknown) => {
            if (err instanceof WorkflowExecutionAlreadyStartedError) {
              throw new CliError(`a sweep of policy ${policy.name} runs already: cloud-release sweep show ${policy.name}`, ExitCode.refused);
            }
            throw err;
          });
          out.note(`started ${handle.workflowId} (${policy.mode} mode${policy.mode === 'report' ? ': nothing is released' : ''})`);
          if (!opts.wait) {
            out.result(`see it with: cloud-release sweep show ${handle.workflowId}`, { workflowId: handle.workflowId });
            return ExitCode.ok;
          }
          return ended(handle, out);
        });
      }),
    );
  sweep
    .command('show')
    .description('the result of a sweep (candidates, exclusions with their reasons, outcomes), or the progress of a running one (exit 7)')
    .argument('<sweep>', SWEEP_HELP)
    .action(async (text: string, _opts, cmd: Command) =>
      run(cmd, async (out) => {
        const { workflowId } = subject(text);
        return withWorkflow(subject(text), async (client) => {
          const handle = client.workflow.getHandle<typeof decommissionSweep>(workflowId);
          const { status } = await handle.describe();
          if (status.name !== 'RUNNING') return ended(handle, out);
          const p = await handle.query(sweepProgressQuery);
          out.result(formatSweepProgress(workflowId, p), { workflowId, status: status.name, progress: p });
          return ExitCode.running;
        });
      }),
    );
  sweep
    .command('opt-out')
    .description('during the grace period: keep one candidate out of the sweep (the optOut update)')
    .argument('<sweep>', SWEEP_HELP)
    .requiredOption('--resource <id>', 'the resource ID')
    .requiredOption('--by <name>', 'who opts it out')
    .requiredOption('--reason <text>', 'why')
    .action(async (text: string, o: { resource: string; by: string; reason: string }, cmd: Command) =>
      run(cmd, async (out) => {
        const checked = validateOptOut([{ resourceId: o.resource, by: o.by, reason: o.reason }]);
        if (!checked.ok) throw new CliError(`invalid opt-out, nothing was sent: ${checked.message}`, ExitCode.usage);
        const { workflowId } = subject(text);
        return withWorkflow(subject(text), async (client) => {
          const record = await optOut(client.workflow.getHandle<typeof decommissionSweep>(workflowId), checked.value);
          out.result(`${workflowId}: ${record.resourceId} opted out by ${record.by} at ${record.at}`, { workflowId, optOut: record });
          return ExitCode.ok;
        });
      }),
    );
}

/** 0 for a report, or an execution whose batch ended without failures; 4 otherwise; 2 for a policy the sweep refused. */
function exitCodeOfSweep(r: SweepResult): ExitCodeValue {
  if (!r.batch) return ExitCode.ok;
  const { counts = {}, error } = r.batch;
  const bad = (Object.keys(counts) as BatchOutcome[]).some((o) => o === 'not-started' || isFailure(o));
  return error || bad ? ExitCode.failed : ExitCode.ok;
}

async function ended(handle: SweepHandle, out: Output): Promise<ExitCodeValue> {
  const { workflowId } = handle;
  let result: SweepResult;
  try {
    result = await handle.result();
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const type = (err.cause as { type?: string } | undefined)?.type;
    // SweepFailureType.invalidPolicy (workflows/decommission-sweep.ts, not imported here: workflow code).
    const code = type === 'InvalidSweepPolicy' ? ExitCode.usage : ExitCode.failed;
    const message = err.cause?.message ?? err.message;
    out.result(`${workflowId} failed${type ? ` (${type})` : ''}: ${message}`, { workflowId, failureType: type, message, exitCode: code });
    return code;
  }
  const code = exitCodeOfSweep(result);
  out.result(formatSweepResult(workflowId, result), { workflowId, result, exitCode: code });
  return code;
}
