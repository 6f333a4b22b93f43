// `cloud-release batch …`: start a batchRelease from a JSON file (validated like the workflow's input before
// anything starts), follow it with a progress bar, show it, and steer it with its updates. A batch is named by
// its ID or its workflow ID (`batch/<id>`).
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Command } from 'commander';
import {
  approveBatchOverride,
  batchHandle,
  batchProgress,
  batchWorkflowId,
  cancelBatch,
  confirmBatch,
  confirmBatchBackup,
  pauseBatch,
  resumeBatch,
  startBatch,
  type BatchHandle,
} from '../../client/batch';
import { validateBatchInput, validateBatchPayload, type BatchReleaseInput } from '../../domain/batch';
import { MAX_IDENTITY, MAX_REASON } from '../../domain/limits';
import { validateBackupConfirmation, validateCancelRequest, validateOverrideApproval, type PayloadResult } from '../../domain/update-payloads';
import { batchEnded, batchWait, followBatch } from '../batch-follow';
import { formatBatchProgress } from '../batch-format';
import { run, seconds } from '../command';
import { withClient } from '../connect';
import { ExitCode } from '../exit-codes';
import { invalid, readJsonFile } from '../json-input';
import { withWorkflow, type Subject } from '../workflow-call';

const BATCH_HELP = 'the batch ID, or its workflow ID batch/<id>';

const subject = (id: string): Subject => ({
  kind: 'batch',
  workflowId: id.startsWith('batch/') ? id : batchWorkflowId(id),
  hint: 'check the ID, or list batches with `temporal workflow list --query \'WorkflowType="batchRelease"\'`',
});

interface WatchOptions {
  exitWhenWaiting?: boolean;
  interval: number;
}

const followOptions = (o: WatchOptions) => ({ intervalMs: o.interval, exitWhenWaiting: o.exitWhenWaiting === true });

export function register(program: Command): void {
  const batch = program.command('batch').description('release many resources at once (the batchRelease workflow): start, watch, show, steer');
  batch
    .command('start')
    .description('start a batch from a BatchReleaseInput JSON file, then follow it like `batch watch`')
    .requiredOption('-f, --input-file <path>', 'the batch as a JSON file, like examples/fleet/batch-alibaba-fleet.json ("-" for stdin)')
    .option('--id <batchId>', 'the batch ID (workflow ID batch/<id>); a second start with it joins the running batch')
    .option('--no-wait', 'return as soon as the batch is started')
    .option('--exit-when-waiting', 'stop following (exit 5) when the batch waits for a person')
    .option('--interval <seconds>', 'how often to poll its progress', seconds, 1000)
    .action(async (opts: WatchOptions & { inputFile: string; id?: string; wait: boolean }, cmd: Command) =>
      run(cmd, async (out) => {
        const input = readJsonFile(opts.inputFile, 'batch');
        const checked = validateBatchInput(input);
        if (!checked.ok) throw invalid('batch input', checked.errors, 'nothing was started');
        return withClient(async (client) => {
          const joined = opts.id !== undefined && (await isRunning(client, subject(opts.id).workflowId));
          const handle = await startBatch(client, input as BatchReleaseInput, { id: opts.id });
          out.note(`${joined ? 'joined the running batch' : 'started'} ${handle.workflowId}${checked.value.dryRun ? ' (dry run: nothing is changed)' : ''}`);
          if (!opts.wait) {
            out.result(`follow it with: cloud-release batch watch ${handle.workflowId}`, {
              workflowId: handle.workflowId,
              runId: handle.firstExecutionRunId,
              joined,
            });
            return ExitCode.ok;
          }
          return followBatch(client, handle.workflowId, out, followOptions(opts));
        });
      }),
    );
  batch
    .command('watch')
    .description('follow a batch: a progress bar (one line per change when not a terminal), what it waits for and the command to run, then its counts')
    .argument('<batch>', BATCH_HELP)
    .option('--exit-when-waiting', 'stop (exit 5) when the batch waits for confirmBatch, a backup confirmation or an override approval')
    .option('--interval <seconds>', 'how often to poll its progress', seconds, 1000)
    .action(async (id: string, opts: WatchOptions, cmd: Command) =>
      run(cmd, async (out) => withWorkflow(subject(id), (client) => followBatch(client, id, out, followOptions(opts)))),
    );
  batch
    .command('show')
    .description(
      'the counts and one line per resource of a batch that ended (exit code as `watch`), or the progress of a running one (exit 5 when it waits for a person, else 7)',
    )
    .argument('<batch>', BATCH_HELP)
    .action(async (id: string, _opts, cmd: Command) =>
      run(cmd, async (out) =>
        withWorkflow(subject(id), async (client) => {
          const handle = batchHandle(client, id);
          const { status } = await handle.describe();
          if (status.name !== 'RUNNING') return batchEnded(handle, out, true);
          const p = await batchProgress(handle);
          const wait = await batchWait(client, handle.workflowId, p);
          out.result(formatBatchProgress(handle.workflowId, p, wait), { workflowId: handle.workflowId, status: status.name, progress: p, wait });
          return wait ? ExitCode.waiting : ExitCode.running;
        }),
      ),
    );

  const identity = { max: MAX_IDENTITY, required: true };
  const reason = (required: boolean) => ({ max: MAX_REASON, required, multiline: true });
  steer(
    batch
      .command('confirm')
      .description('confirm a batch over its safety cap (confirmBatch; not by the requester)')
      .requiredOption('--by <name>', 'who confirms'),
    {
      flags: { confirmedBy: '--by' },
      payload: (o) => ({ confirmedBy: o.by }),
      validate: (i) => validateBatchPayload(i, { confirmedBy: identity }),
      send: (h, p: { confirmedBy?: string }) => confirmBatch(h, { confirmedBy: p.confirmedBy! }).then((a) => a.detail),
    },
  );
  steer(
    batch
      .command('confirm-backup')
      .description('confirm the backups once for every release of the batch (confirmBackup, passed to each release when it waits)')
      .requiredOption('--by <name>', 'who confirms')
      .requiredOption('--backup-reference <ref>', 'where the backups are: snapshot IDs, backup job, vault path')
      .option('--comment <text>'),
    {
      flags: { confirmedBy: '--by', backupReference: '--backup-reference', comment: '--comment' },
      payload: (o) => ({ confirmedBy: o.by, backupReference: o.backupReference, comment: o.comment }),
      validate: validateBackupConfirmation,
      send: (h, p) => confirmBatchBackup(h, p).then((a) => `backup given by ${a.by} for the batch; each release waiting for it gets it`),
    },
  );
  steer(
    batch
      .command('approve')
      .description('approve the protection-tag override once for every release of the batch (approveOverride; not by the requester)')
      .requiredOption('--by <name>', 'who approves')
      .option('--comment <text>'),
    {
      flags: { approvedBy: '--by', comment: '--comment' },
      payload: (o) => ({ approvedBy: o.by, comment: o.comment }),
      validate: validateOverrideApproval,
      send: (h, p) => approveBatchOverride(h, p).then((a) => `override approved by ${a.by} for the batch; each release waiting for it gets it`),
    },
  );
  for (const [name, send] of [
    ['pause', pauseBatch],
    ['resume', resumeBatch],
  ] as const) {
    steer(
      batch
        .command(name)
        .description(name === 'pause' ? 'start no new release until resumed (the running ones go on)' : 'start releases again after a pause')
        .requiredOption('--by <name>', `who ${name}s`)
        .option('--reason <text>', 'why'),
      {
        flags: { by: '--by', reason: '--reason' },
        payload: (o) => ({ by: o.by, reason: o.reason }),
        validate: (i) => validateBatchPayload(i, { by: identity, reason: reason(false) }),
        send: (h, p: { by?: string; reason?: string }) => send(h, { by: p.by!, reason: p.reason }).then((a) => a.detail),
      },
    );
  }
  steer(
    batch
      .command('cancel')
      .description('start no new release; the rest are reported not-started (running releases follow their own rules)')
      .requiredOption('--by <name>', 'who cancels')
      .requiredOption('--reason <text>', 'why'),
    {
      flags: { by: '--by', reason: '--reason' },
      payload: (o) => ({ by: o.by, reason: o.reason }),
      validate: validateCancelRequest,
      send: (h, p) => cancelBatch(h, p).then((a) => a.detail),
    },
  );
}

async function isRunning(client: Client, workflowId: string): Promise<boolean> {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

interface Update<T> {
  /** Payload field → the flag that sets it (for the field errors). */
  flags: Record<string, string>;
  payload: (opts: Record<string, string | undefined>) => Record<string, unknown>;
  validate: (input: unknown) => PayloadResult<T>;
  /** Send it; the answer's line for people. */
  send: (handle: BatchHandle, payload: T) => Promise<string>;
}

/** A batch update: checked with the workflow's own validator before it is sent (exit 2), refused by the batch: exit 8. */
function steer<T>(cmd: Command, update: Update<T>): void {
  cmd.argument('<batch>', BATCH_HELP).action(async (id: string, opts: Record<string, string | undefined>, self: Command) =>
    run(self, async (out) => {
      // Absent optional flags are left out, not sent as undefined.
      const raw = Object.fromEntries(Object.entries(update.payload(opts)).filter(([, v]) => v !== undefined));
      const checked = update.validate(raw);
      if (!checked.ok) throw invalid(`${self.name()} payload`, checked.errors, 'nothing was sent', update.flags);
      return withWorkflow(subject(id), async (client: Client) => {
        const handle = batchHandle(client, id);
        const line = await update.send(handle, checked.value);
        out.result(`${handle.workflowId}: ${line}`, { workflowId: handle.workflowId, update: self.name(), answer: line, exitCode: ExitCode.ok });
        return ExitCode.ok;
      });
    }),
  );
}
