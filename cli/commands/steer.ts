// `cloud-release confirm | approve | cancel`: the release's updates. Payloads are checked here with the
// workflow's own validators (domain/update-payloads.ts) before anything is sent; a refusal by the release
// (wrong gate, too late, the requester approving their own override) exits 8 with its reason.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { Command } from 'commander';
import { approveOverride, cancelRelease, confirmBackup, type ReleaseHandle } from '../../client/release';
import type { Approval } from '../../domain/report';
import { validateBackupConfirmation, validateCancelRequest, validateOverrideApproval, type PayloadResult } from '../../domain/update-payloads';
import type { releaseResource } from '../../workflows';
import type { CancelAnswer } from '../../workflows/messages';
import { withClient } from '../connect';
import { run } from '../command';
import { CliError, ExitCode, type ExitCodeValue } from '../exit-codes';
import type { Output } from '../output';
import { parseTarget, TARGET_HELP } from '../target';

interface Update<T, A> {
  name: string;
  /** Payload field → the flag that sets it (for the field errors). */
  flags: Record<string, string>;
  validate: (input: unknown) => PayloadResult<T>;
  send: (handle: ReleaseHandle, payload: T) => Promise<A>;
  answer: (a: A, workflowId: string) => { line: string; exitCode: ExitCodeValue };
}

const approved = (a: Approval, workflowId: string) => ({
  line: `${a.gate} given by ${a.by} at ${a.at}${a.reference ? ` (${a.reference})` : ''}; the release goes on: cloud-release watch ${workflowId}`,
  exitCode: ExitCode.ok,
});

export function register(program: Command): void {
  steer(
    program
      .command('confirm')
      .description('confirm that a usable backup exists (the confirmBackup update)')
      .requiredOption('--by <name>', 'who confirms')
      .requiredOption('--backup-reference <ref>', 'where the backup is: snapshot ID, backup job, vault path')
      .option('--comment <text>'),
    {
      name: 'confirmBackup',
      flags: { confirmedBy: '--by', backupReference: '--backup-reference', comment: '--comment' },
      validate: validateBackupConfirmation,
      send: confirmBackup,
      answer: approved,
    },
    (o) => ({ confirmedBy: o.by, backupReference: o.backupReference, comment: o.comment }),
  );
  steer(
    program
      .command('approve')
      .description('approve releasing a resource despite its protection tag (the approveOverride update; not by the requester)')
      .requiredOption('--by <name>', 'who approves')
      .option('--comment <text>'),
    {
      name: 'approveOverride',
      flags: { approvedBy: '--by', comment: '--comment' },
      validate: validateOverrideApproval,
      send: approveOverride,
      answer: approved,
    },
    (o) => ({ approvedBy: o.by, comment: o.comment }),
  );
  steer(
    program
      .command('cancel')
      .description('cancel a release: honoured before its destructive call, refused after it (exit 8)')
      .requiredOption('--by <name>', 'who cancels')
      .requiredOption('--reason <text>', 'why'),
    {
      name: 'cancel',
      flags: { by: '--by', reason: '--reason' },
      validate: validateCancelRequest,
      send: cancelRelease,
      answer: (a: CancelAnswer) => ({ line: a.detail, exitCode: a.cancelled ? ExitCode.ok : ExitCode.refused }),
    },
    (o) => ({ by: o.by, reason: o.reason }),
  );
}

function steer<T, A>(cmd: Command, update: Update<T, A>, payloadOf: (opts: Record<string, string | undefined>) => Record<string, unknown>): void {
  cmd.argument('<release>', TARGET_HELP).action(async (text: string, opts: Record<string, string | undefined>, self: Command) =>
    run(self, async (out) => {
      const target = parseTarget(text);
      // Absent optional flags are left out, not sent as undefined.
      const raw = Object.fromEntries(Object.entries(payloadOf(opts)).filter(([, v]) => v !== undefined));
      const checked = update.validate(raw);
      if (!checked.ok) {
        const lines = checked.errors.map((e) => `  ${e.field}: ${e.message}${update.flags[e.field] ? ` (${update.flags[e.field]})` : ''}`);
        throw new CliError(`invalid ${update.name}, nothing was sent:\n${lines.join('\n')}`, ExitCode.usage, { errors: checked.errors });
      }
      return withClient(async (client) => {
        const handle = client.workflow.getHandle<typeof releaseResource>(target.workflowId);
        const answer = await update.send(handle, checked.value).catch((err: unknown) => {
          if (err instanceof WorkflowUpdateFailedError) {
            throw new CliError(`${target.workflowId} refused ${update.name}: ${err.cause?.message ?? err.message}`, ExitCode.refused);
          }
          throw err;
        });
        return print(out, update.answer(answer, target.workflowId), { workflowId: target.workflowId, update: update.name, answer });
      }, target);
    }),
  );
}

function print(out: Output, { line, exitCode }: { line: string; exitCode: ExitCodeValue }, machine: Record<string, unknown>): ExitCodeValue {
  out.result(line, { ...machine, exitCode });
  return exitCode;
}
