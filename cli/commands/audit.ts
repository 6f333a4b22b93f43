// `cloud-release audit`: the audit trail (audit/), from the store the worker writes to (same environment:
// CLOUD_RELEASE_AUDIT_DATABASE_URL, CLOUD_RELEASE_AUDIT_DIR, or the sandbox's .sandbox/audit).
import { InvalidArgumentError, type Command } from 'commander';
import type { AuditRecord } from '../../audit/entry';
import { auditStoreFromEnv } from '../../audit/from-env';
import type { AuditQuery, AuditStore } from '../../audit/store';
import type { ReleaseReport } from '../../domain/report';
import { run } from '../command';
import { CliError, ExitCode } from '../exit-codes';
import { formatReport, table } from '../format';

interface AuditOptions {
  resource?: string;
  provider?: string;
  requester?: string;
  ticket?: string;
  requestId?: string;
  since?: string;
  until?: string;
  outcome?: string;
  limit: number;
}

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** An ISO time, or a duration back from now ("90m", "24h", "7d"), as an ISO time. */
export function pointInTime(text: string, now = Date.now()): string {
  const d = /^(\d{1,6})([smhd])$/.exec(text);
  if (d) return new Date(now - Number(d[1]) * UNIT_MS[d[2] as keyof typeof UNIT_MS]).toISOString();
  const t = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(t))
    throw new InvalidArgumentError('expected an ISO time (2025-01-31T12:00:00Z) or a duration back from now (90m, 24h, 7d)');
  return new Date(t).toISOString();
}

const positive = (text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('expected a whole number from 1 to 1000');
  return n;
};

const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

function rows(records: AuditRecord[]): string[][] {
  return records.map((r) => [
    when(r.endedAt),
    r.outcome,
    r.resourceId ? `${r.provider}/${r.region}/${r.resourceId}` : r.kind,
    r.requestedBy,
    r.approvals.map((a) => `${a.gate}:${a.by}`).join(', '),
    String(r.deleted.length),
    String(r.retained.length),
    r.workflowId,
    r.providerRequestIds.join(', '),
  ]);
}

/** The full record: the release report as `show` prints it, with where and when it was recorded. */
function formatRecord(r: AuditRecord): string[] {
  return [
    `${r.kind} ${r.workflowId} run ${r.runId}, recorded ${when(r.recordedAt)}${r.failureType ? `, failed: ${r.failureType}` : ''}`,
    `provider request IDs: ${r.providerRequestIds.join(', ') || 'none'}`,
    '',
    ...(r.kind === 'release' ? formatReport(r.report as ReleaseReport) : JSON.stringify(r.report, null, 2).split('\n')),
  ];
}

async function withStore<T>(fn: (store: AuditStore) => Promise<T>): Promise<T> {
  const store = await auditStoreFromEnv();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function register(program: Command): void {
  const audit = program
    .command('audit')
    .description('query the audit trail: every ended release, newest first (CLOUD_RELEASE_AUDIT_DATABASE_URL, CLOUD_RELEASE_AUDIT_DIR, else .sandbox/audit)')
    .option('--resource <id>', 'the resource ID')
    .option('--provider <provider>', 'alibaba, baidu, huawei')
    .option('--requester <who>', 'who asked')
    .option('--ticket <ticket>', 'the change ticket')
    .option('--request-id <id>', 'a provider request ID of any step or provider error')
    .option('--since <time>', 'ended at or after: an ISO time, or a duration back from now (24h, 7d)', (t) => pointInTime(t))
    .option('--until <time>', 'ended before: an ISO time, or a duration back from now', (t) => pointInTime(t))
    .option('--outcome <outcome>', 'released, already-gone, dry-run, blocked, cancelled, …')
    .option('--limit <n>', 'at most this many', positive, 50)
    .action(async (o: AuditOptions, cmd: Command) =>
      run(cmd, async (out) => {
        const query: AuditQuery = {
          resourceId: o.resource,
          provider: o.provider,
          requester: o.requester,
          ticket: o.ticket,
          requestId: o.requestId,
          from: o.since,
          to: o.until,
          outcome: o.outcome,
          limit: o.limit,
        };
        const records = await withStore((store) => store.query(query));
        out.result(
          records.length
            ? table(['ENDED', 'OUTCOME', 'RESOURCE', 'REQUESTER', 'APPROVALS', 'DELETED', 'KEPT', 'WORKFLOW ID', 'REQUEST IDS'], rows(records))
            : 'no audit record matches',
          { records },
        );
        return ExitCode.ok;
      }),
    );
  audit
    .command('show')
    .description('print the full audit record of a workflow (its latest recorded run, or --run)')
    .argument('<workflowId>')
    .option('--run <runId>', 'that run')
    .action(async (workflowId: string, o: { run?: string }, cmd: Command) =>
      run(cmd, async (out) => {
        const record = await withStore((store) => store.get(workflowId, o.run));
        if (!record) throw new CliError(`no audit record of ${workflowId}${o.run ? ` run ${o.run}` : ''}`, ExitCode.notFound);
        out.result(formatRecord(record), { record });
        return ExitCode.ok;
      }),
    );
}
