// The durable audit trail from the workflow's side: every release, however it ends, writes one record to the audit
// store (PostgreSQL here: the run's own schema) when it ends, with who asked and confirmed, every step, what was
// deleted and kept and the provider's request IDs; a worker restart right after the ending writes nothing twice.
import { describe, expect, inject, it } from 'vitest';
import { PgAuditStore } from '../../audit/pg';
import { startBatch } from '../../client/batch';
import { confirmBackup, progress } from '../../client/release';
import type { ReleaseRequest } from '../../domain/request';
import { ecsRequest, failureOf, useSimHarness } from './harness';

const ecs = (resourceId: string, extra: Partial<ReleaseRequest> = {}): ReleaseRequest => ecsRequest(resourceId, `CHG-AUDIT-${resourceId}`, extra);

describe('audit records written by the release workflow', () => {
  const h = useSimHarness();
  const store = () => new PgAuditStore(inject('auditDatabaseUrl'), 1);

  it('a release: one record with the requester, the confirmation, the steps, the items and the request IDs', async () => {
    const handle = await h.start(ecs('i-bp1stoppedpaygo01', { backup: { required: true, confirmWithin: '1h' } }));
    await expect.poll(async () => (await progress(handle)).phase, { timeout: 10_000 }).toBe('confirm');
    await confirmBackup(handle, { confirmedBy: 'bob@platform', backupReference: 'snap-audit-1' });
    const report = await handle.result();
    await h.restartWorkers(); // a retried or repeated write must not add a second record
    const s = store();
    try {
      const records = await s.query({ ticket: 'CHG-AUDIT-i-bp1stoppedpaygo01' });
      expect(records).toHaveLength(1);
      const [r] = records;
      expect(r).toMatchObject({ workflowId: handle.workflowId, runId: (await handle.describe()).runId, outcome: 'released', requestedBy: 'alice@platform' });
      expect(r.approvals).toEqual([expect.objectContaining({ gate: 'backup', by: 'bob@platform', reference: 'snap-audit-1' })]);
      expect(r.deleted).toEqual(report.deleted);
      expect(r.retained).toEqual(report.retained);
      const deleteCall = (await h.admin.calls({ provider: 'alibaba', action: 'DeleteInstances' }))[0];
      expect(deleteCall.requestId).toBeDefined();
      expect((await s.query({ requestId: deleteCall.requestId })).map((x) => x.workflowId)).toEqual([handle.workflowId]);
    } finally {
      await s.close();
    }
  });

  it('a refused release: its record carries the failure type and says nothing was deleted', async () => {
    const handle = await h.start(ecs('i-bp1protected05'));
    expect((await failureOf(handle.result())).type).toBe('ReleaseBlocked');
    const s = store();
    try {
      const [r, ...more] = await s.query({ resourceId: 'i-bp1protected05', ticket: 'CHG-AUDIT-i-bp1protected05' });
      expect(more).toHaveLength(0);
      expect(r).toMatchObject({ outcome: 'blocked', failureType: 'ReleaseBlocked' });
      expect(r.deleted).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('a refused input with a NUL character ends at once and is recorded (PostgreSQL cannot store NUL: it is replaced)', async () => {
    const handle = await h.start({ ...ecs('i-bp1\u0000nul'), ticket: 'CHG-AUDIT-NUL\u0000' }, `audit-nul-${Date.now()}`);
    expect((await failureOf(handle.result())).type).toBe('InvalidReleaseRequest');
    const s = store();
    try {
      const [r, ...more] = await s.query({ ticket: 'CHG-AUDIT-NUL\uFFFD' });
      expect(more).toHaveLength(0);
      expect(r).toMatchObject({
        workflowId: handle.workflowId,
        outcome: 'invalid-request',
        failureType: 'InvalidReleaseRequest',
        resourceId: 'i-bp1\uFFFDnul',
      });
    } finally {
      await s.close();
    }
  });

  it('a batch: one record of kind batch with its counts, beside one per release it ran', async () => {
    const handle = await startBatch(
      h.client,
      {
        requestedBy: 'alice@platform',
        ticket: 'CHG-AUDIT-BATCH',
        dryRun: true,
        targets: ['i-bp1stoppedpaygo01', 'i-bp1protected05'].map((resourceId) => ({
          provider: 'alibaba' as const,
          kind: 'ecs-instance' as const,
          region: 'cn-hangzhou',
          resourceId,
        })),
      },
      { taskQueue: h.taskQueue },
    );
    const result = await handle.result();
    const s = store();
    try {
      const [r, ...more] = await s.query({ ticket: 'CHG-AUDIT-BATCH', kind: 'batch' });
      expect(more).toHaveLength(0);
      expect(r).toMatchObject({ workflowId: handle.workflowId, kind: 'batch', outcome: 'completed', requestedBy: 'alice@platform', dryRun: true });
      expect(r.summary).toContain('2 resource(s)');
      expect((r.report as unknown as { result: typeof result }).result.counts).toEqual(result.counts);
    } finally {
      await s.close();
    }
  });
});
