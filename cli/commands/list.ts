// `cloud-release list`: releases by the project's search attributes (common/temporal.ts), newest first.
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { InvalidArgumentError, type Command } from 'commander';
import { SA } from '../../common/temporal';
import { withClient } from '../connect';
import { run } from '../command';
import { CliError, ExitCode } from '../exit-codes';
import { table } from '../format';

interface ListOptions {
  provider?: string;
  region?: string;
  kind?: string;
  resourceId?: string;
  phase?: string;
  requester?: string;
  waiting?: boolean;
  running?: boolean;
  limit: number;
}

/** A visibility query value: quotes and backslashes would change the query, so they are refused, not escaped. */
function literal(value: string): string {
  if (/["'\\\p{Cc}]/u.test(value)) {
    throw new CliError(`list: ${JSON.stringify(value)}: quotes, backslashes and control characters cannot be part of a filter`, ExitCode.usage);
  }
  return `"${value}"`;
}

/** The visibility query of the filters given (each an equality on one search attribute). */
export function listQuery(o: ListOptions): string {
  const clauses = [`WorkflowType = "releaseResource"`];
  const eq = (key: { name: string }, value: string | undefined) => value !== undefined && clauses.push(`${key.name} = ${literal(value)}`);
  eq(SA.provider, o.provider);
  eq(SA.region, o.region);
  eq(SA.kind, o.kind);
  eq(SA.resourceId, o.resourceId);
  eq(SA.requester, o.requester);
  // Releases since v3 write no "done": an ended release is one that no longer runs (v2 ones wrote "done").
  if (o.phase === 'done' && !o.waiting) clauses.push(`(${SA.phase.name} = "done" OR ExecutionStatus != "Running")`);
  else eq(SA.phase, o.waiting ? 'confirm' : o.phase);
  if (o.waiting || o.running) clauses.push(`ExecutionStatus = "Running"`);
  return clauses.join(' AND ');
}

const positive = (text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('expected a whole number from 1 to 1000');
  return n;
};

function row(w: WorkflowExecutionInfo) {
  const sa = w.typedSearchAttributes;
  return {
    workflowId: w.workflowId,
    runId: w.runId,
    status: w.status.name,
    // An ended release is done whatever phase it last waited in (v3 writes the attribute only where a release waits).
    phase: w.status.name === 'RUNNING' ? sa.get(SA.phase) : 'done',
    provider: sa.get(SA.provider),
    region: sa.get(SA.region),
    kind: sa.get(SA.kind),
    resourceId: sa.get(SA.resourceId),
    requester: sa.get(SA.requester),
    startTime: w.startTime.toISOString(),
    closeTime: w.closeTime?.toISOString(),
  };
}

export function register(program: Command): void {
  program
    .command('list')
    .description('list releases by provider, region, kind, resource, phase or requester (newest first)')
    .option('--provider <provider>', 'CloudProvider')
    .option('--region <region>', 'CloudRegion')
    .option('--kind <kind>', 'ResourceKind')
    .option('--resource-id <id>', 'ResourceId')
    .option('--phase <phase>', 'ReleasePhase, where a release waits: confirm, prepare, wait-gone; or done (ended)')
    .option('--requester <who>', 'Requester')
    .option('--waiting', 'running releases waiting for a confirmation or an approval (phase confirm)')
    .option('--running', 'running releases only')
    .option('--limit <n>', 'at most this many', positive, 50)
    .action(async (opts: ListOptions, cmd: Command) =>
      run(cmd, async (out) => {
        const query = listQuery(opts);
        return withClient(async (client) => {
          const rows: ReturnType<typeof row>[] = [];
          for await (const w of client.workflow.list({ query, pageSize: Math.min(opts.limit, 100) })) {
            rows.push(row(w));
            if (rows.length >= opts.limit) break;
          }
          out.result(
            rows.length
              ? table(
                  ['WORKFLOW ID', 'STATUS', 'PHASE', 'REQUESTER', 'STARTED'],
                  rows.map((r) => [r.workflowId, r.status, r.phase ?? '', r.requester ?? '', r.startTime]),
                )
              : `no release matches ${query}`,
            { query, releases: rows },
          );
          return ExitCode.ok;
        });
      }),
    );
}
