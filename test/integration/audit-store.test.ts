// The audit trail: the same tests on a real PostgreSQL server (127.0.0.1:5432, a schema of its own per run)
// and on embedded PGlite; then a real release's report written through the recordAudit activity (twice: one row)
// and read back by `cloud-release audit`.
import { MockActivityEnvironment } from '@temporalio/testing';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditActivities } from '../../activities/audit-record';
import type { AuditEntry, AuditedReport } from '../../audit/entry';
import { PgAuditStore, redactUrl } from '../../audit/pg';
import { PgliteAuditStore } from '../../audit/pglite';
import type { AuditStore } from '../../audit/store';
import { useSimHarness } from './harness';
import { runCli } from './run-command';

const root = join(__dirname, '..', '..');
const SERVER = process.env.AUDIT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema of this run's own on the server, dropped afterwards; the store reaches it through search_path. */
async function scratchSchema() {
  const schema = `audit_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = `${SERVER}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    url,
    drop: async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}

const STORES: [string, () => Promise<{ store: AuditStore; done: () => Promise<void> }>][] = [
  [
    'PostgreSQL',
    async () => {
      const s = await scratchSchema();
      const store = new PgAuditStore(s.url);
      return { store, done: async () => (await store.close(), await s.drop()) };
    },
  ],
  [
    'PGlite',
    async () => {
      const store = new PgliteAuditStore();
      return { store, done: () => store.close() };
    },
  ],
];

function report(over: Partial<AuditedReport> & { resourceId: string }): AuditedReport {
  const { resourceId, ...rest } = over;
  return {
    resource: { provider: 'alibaba', kind: 'ecs-instance', region: 'cn-hangzhou', resourceId },
    requestedBy: 'alice@platform',
    ticket: 'CHG-1',
    reason: 'decommissioned',
    outcome: 'released',
    summary: 'released',
    dryRun: false,
    startedAt: '2025-03-01T10:00:00.000Z',
    endedAt: '2025-03-01T10:05:00.000Z',
    approvals: [{ gate: 'backup', by: 'bob@platform', reference: 'snap-1', at: '2025-03-01T10:01:00.000Z' }],
    steps: [{ phase: 'destroy', name: 'DeleteInstance', startedAt: '2025-03-01T10:02:00.000Z', outcome: 'ok', requestIds: [`req-${resourceId}`] }],
    deleted: [{ type: 'resource', id: resourceId, how: 'DeleteInstance', observed: 'gone' }],
    retained: [{ type: 'disk', id: `d-${resourceId}`, how: 'kept', observed: 'present' }],
    providerErrors: [{ requestId: `err-${resourceId}` }],
    ...rest,
  };
}

const entry = (workflowId: string, r: AuditedReport, runId = 'run-1'): AuditEntry => ({ workflowId, runId, kind: 'release', report: r });

describe.each(STORES)('the audit store on %s', (_name, open) => {
  let store: AuditStore;
  let done: () => Promise<void>;
  beforeAll(async () => ({ store, done } = await open()));
  afterAll(async () => done?.());

  it('records once: a retried or concurrent write is a no-op, a different one is a conflict and changes nothing', async () => {
    const e = entry('release/a/once', report({ resourceId: 'i-once' }));
    expect(await store.record(e)).toBe('recorded');
    expect(await store.record(e)).toBe('duplicate');
    expect(new Set(await Promise.all([1, 2, 3, 4].map(() => store.record(e))))).toEqual(new Set(['duplicate']));
    const again = entry('release/a/twice', report({ resourceId: 'i-twice' }));
    expect((await Promise.all([1, 2, 3].map(() => store.record(again)))).sort()).toEqual(['duplicate', 'duplicate', 'recorded']);
    expect(await store.record(entry('release/a/once', report({ resourceId: 'i-once', outcome: 'cancelled' })))).toBe('conflict');

    const rows = await store.query({ resourceId: 'i-once' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      workflowId: 'release/a/once',
      runId: 'run-1',
      kind: 'release',
      provider: 'alibaba',
      resourceKind: 'ecs-instance',
      outcome: 'released',
      requestedBy: 'alice@platform',
      approvals: [{ gate: 'backup', by: 'bob@platform' }],
      deleted: [{ id: 'i-once' }],
      retained: [{ id: 'd-i-once' }],
      providerRequestIds: ['req-i-once', 'err-i-once'],
      startedAt: '2025-03-01T10:00:00.000Z',
      endedAt: '2025-03-01T10:05:00.000Z',
    });
    expect(rows[0].report).toEqual(e.report);
    // Another run of the same workflow is another record.
    expect(await store.record(entry('release/a/once', report({ resourceId: 'i-once', endedAt: '2025-03-02T00:00:00.000Z' }), 'run-2'))).toBe('recorded');
    expect((await store.get('release/a/once'))?.runId).toBe('run-2');
    expect((await store.get('release/a/once', 'run-1'))?.endedAt).toBe('2025-03-01T10:05:00.000Z');
    expect(await store.get('release/a/none')).toBeUndefined();
  });

  it('answers by resource, requester, ticket, time range, outcome and request ID, newest first', async () => {
    const at = (day: number) => `2024-06-${String(day).padStart(2, '0')}T12:00:00.000Z`;
    await store.record(entry('q/1', report({ resourceId: 'i-q1', requestedBy: 'carol@q', ticket: 'Q-1', endedAt: at(1) })));
    await store.record(entry('q/2', report({ resourceId: 'i-q2', requestedBy: 'carol@q', ticket: 'Q-2', endedAt: at(2), outcome: 'blocked' })));
    await store.record(entry('q/3', report({ resourceId: 'i-q3', requestedBy: 'dave@q', ticket: 'Q-2', endedAt: at(3) })));
    const ids = async (q: Parameters<AuditStore['query']>[0]) => (await store.query(q)).map((r) => r.workflowId);

    expect(await ids({ resourceId: 'i-q2' })).toEqual(['q/2']);
    expect(await ids({ requester: 'carol@q' })).toEqual(['q/2', 'q/1']);
    expect(await ids({ ticket: 'Q-2' })).toEqual(['q/3', 'q/2']);
    expect(await ids({ ticket: 'Q-2', requester: 'dave@q' })).toEqual(['q/3']);
    expect(await ids({ from: at(2), to: at(3), requester: 'carol@q' })).toEqual(['q/2']);
    expect(await ids({ from: at(1), to: at(4), outcome: 'blocked' })).toEqual(['q/2']);
    expect(await ids({ requestId: 'req-i-q3' })).toEqual(['q/3']);
    expect(await ids({ requestId: 'err-i-q1' })).toEqual(['q/1']);
    expect(await ids({ requestId: 'req-nobody' })).toEqual([]);
    expect(await ids({ requester: 'carol@q', limit: 1 })).toEqual(['q/2']);
  });
});

describe('the audit store from the environment', () => {
  it('never shows the password of its URL', () => {
    const store = new PgAuditStore('postgres://auditor:s3cret@db.internal:5432/audit');
    expect(store.description).toBe('PostgreSQL postgres://auditor:***@db.internal:5432/audit');
    expect(redactUrl('postgres://u:p%40ss@h/db')).not.toContain('p%40ss');
    return store.close();
  });

  it('lets processes take turns on a PGlite directory (never two at once): every write lands once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-turns-'));
    const [a, b] = [new PgliteAuditStore(join(dir, 'audit')), new PgliteAuditStore(join(dir, 'audit'))];
    const e = (i: number) => entry(`turns/${i}`, report({ resourceId: `i-t${i}` }));
    const results = await Promise.all([0, 1, 2, 0, 1, 2].map((i, n) => (n % 2 ? a : b).record(e(i))));
    expect(results.filter((r) => r === 'recorded')).toHaveLength(3);
    expect((await a.query({})).map((r) => r.workflowId).sort()).toEqual(['turns/0', 'turns/1', 'turns/2']);
    expect(existsSync(join(dir, 'audit.lock'))).toBe(false);
    await Promise.all([a.close(), b.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
});

const cli = (args: string[], env: NodeJS.ProcessEnv) => runCli(args, env);

describe('a real release, recorded by the recordAudit activity and read by cloud-release audit', () => {
  const h = useSimHarness();
  const BAIDU = JSON.parse(readFileSync(join(root, 'examples', 'baidu-bcc.json'), 'utf8')) as Record<string, unknown>;

  it('writes one row however often the activity runs, on either store, and the CLI reads it back', async () => {
    const handle = await h.start(BAIDU);
    const released = await handle.result();
    expect(released.outcome).toBe('released');
    const { runId } = await handle.describe();
    const e: AuditEntry = { workflowId: handle.workflowId, runId, kind: 'release', report: released };

    const schema = await scratchSchema();
    const dir = mkdtempSync(join(tmpdir(), 'audit-cli-'));
    const targets = [
      { env: { CLOUD_RELEASE_AUDIT_DATABASE_URL: schema.url }, store: new PgAuditStore(schema.url) },
      {
        env: { CLOUD_RELEASE_AUDIT_DATABASE_URL: '', CLOUD_RELEASE_AUDIT_DIR: join(dir, 'audit') },
        store: new PgliteAuditStore(join(dir, 'audit')) as AuditStore,
      },
    ];
    try {
      for (const { env, store } of targets) {
        const { recordAudit } = auditActivities(store);
        const activity = new MockActivityEnvironment();
        expect(await activity.run(recordAudit, e)).toBe('recorded');
        expect(await activity.run(recordAudit, e)).toBe('duplicate');
        const rows = await store.query({ resourceId: 'i-post0001' });
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ workflowId: handle.workflowId, runId, outcome: 'released', provider: 'baidu', requestedBy: 'alice@platform' });
        expect(rows[0].providerRequestIds.length).toBeGreaterThan(0);
        await store.close();

        const listed = await cli(['audit', '--resource', 'i-post0001', '--json'], env);
        expect(listed.code, listed.stderr).toBe(0);
        const { records } = JSON.parse(listed.stdout);
        expect(records).toHaveLength(1);
        expect(records[0]).toMatchObject({ workflowId: handle.workflowId, runId, report: { outcome: 'released', ticket: 'CHG-1002' } });

        const table = await cli(['audit', '--requester', 'alice@platform', '--since', '1h'], env);
        expect(table.code, table.stderr).toBe(0);
        expect(table.stdout).toMatch(/^ENDED +OUTCOME +RESOURCE +REQUESTER/m);
        expect(table.stdout).toContain(`released  baidu/bj/i-post0001`);

        const shown = await cli(['audit', 'show', handle.workflowId], env);
        expect(shown.code, shown.stderr).toBe(0);
        expect(shown.stdout).toContain(`release ${handle.workflowId} run ${runId}`);
        expect(shown.stdout).toContain('deleted:');
        expect((await cli(['audit', 'show', 'release/none'], env)).code).toBe(6);
      }
    } finally {
      await schema.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails non-retryably without a store', async () => {
    const { recordAudit } = auditActivities(undefined);
    await expect(new MockActivityEnvironment().run(recordAudit, entry('x', report({ resourceId: 'i-x' })))).rejects.toMatchObject({
      type: 'AuditStoreMissing',
      nonRetryable: true,
    });
    const store = new PgliteAuditStore();
    await expect(
      new MockActivityEnvironment().run(auditActivities(store).recordAudit, { ...entry('x', report({ resourceId: 'i-x' })), runId: '' }),
    ).rejects.toMatchObject({
      type: 'InvalidAuditEntry',
      nonRetryable: true,
    });
    await store.close();
  });
});
