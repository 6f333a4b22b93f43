// Releases at the edges of Alibaba's and Baidu's rules (issue "Nothing destroyed that the rules forbid…"):
// each checks the simulator's state afterwards against the report, not only the report.
import { describe, expect, it } from 'vitest';
import type { ReleaseRequest } from '../../domain/request';
import { assessed, ecsRequest, failureOf, useSimHarness } from './harness';
import { expectStateMatchesReport, inventory } from './witness';

const ecs = (resourceId: string, extra: Partial<ReleaseRequest> = {}): ReleaseRequest => ecsRequest(resourceId, 'CHG-10', extra);
const bcc = (resourceId: string, extra: Partial<ReleaseRequest> = {}): ReleaseRequest => ({
  ...ecs(resourceId, extra),
  provider: 'baidu',
  kind: 'bcc-instance',
  region: 'bj',
});

describe('Alibaba and Baidu releases at the edges of the rules', () => {
  const h = useSimHarness();

  it('Alibaba: automatic snapshots go with a disk deleted at cleanup (DeleteAutoSnapshot=true), and the report says so', async () => {
    const input = ecs('i-bp1autosnap10', { options: { retainedDataDisks: 'delete' } });
    const dry = await (await h.start({ ...input, dryRun: true })).result();
    const fates = Object.fromEntries(assessed(dry.plan).snapshots.map((s) => [s.snapshot.id, s.fate]));
    expect(fates['s-bp1autosnap10dat1user']).toBe('retained');
    expect(
      Object.entries(fates)
        .filter(([id]) => id.startsWith('s-bp1autosnap10dat1auto'))
        .every(([, f]) => f === 'cleanup'),
    ).toBe(true);

    const before = await inventory(h.admin, 'alibaba');
    const report = await (await h.start(input)).result();
    expect(report.outcome).toBe('released');
    expect(report.verification?.discrepancies).toEqual([]);
    expect(report.retained.map((r) => r.id)).toEqual(['s-bp1autosnap10dat1user']);
    expect(report.deleted.map((d) => d.id)).toEqual(expect.arrayContaining(['i-bp1autosnap10', 'd-bp1autosnap10dat1', 's-bp1autosnap10sysauto']));
    expect([...report.deleted, ...report.retained].filter((x) => x.type !== 'resource').every((x) => x.observed !== undefined)).toBe(true);
    expectStateMatchesReport(before, await inventory(h.admin, 'alibaba'), report);
  });

  it('Alibaba: an instance seeded as Stopping advances to Stopped and is released', async () => {
    const before = await inventory(h.admin, 'alibaba');
    const report = await (await h.start(ecs('i-bp1stopping11', { options: { stopIfRunning: true } }))).result();
    expect(report.outcome).toBe('released');
    expect(await h.admin.calls({ action: 'DeleteInstances' })).toHaveLength(1);
    expectStateMatchesReport(before, await inventory(h.admin, 'alibaba'), report);
  });

  it('Baidu: an instance in the recycle bin is released from the bin, with one call, and its fates are as reported', async () => {
    const dry = await (await h.start(bcc('i-recy0011', { dryRun: true }))).result();
    expect(dry.outcome).toBe('dry-run');
    expect(assessed(dry.plan).destroyOptions.fromRecycleBin).toBe(true);
    const before = await inventory(h.admin, 'baidu');
    const report = await (await h.start(bcc('i-recy0011'))).result();
    expect(report.outcome).toBe('released');
    expect(await h.admin.calls({ action: 'DeleteRecycledInstance' })).toHaveLength(1);
    expect(await h.admin.calls({ action: 'ReleaseInstance' })).toHaveLength(0);
    expect(report.retained.map((r) => r.id)).toContain('s-cds00011');
    expectStateMatchesReport(before, await inventory(h.admin, 'baidu'), report);
  });

  it('Baidu: an instance already being deleted gets no call, and ends released once it is gone', async () => {
    const before = await inventory(h.admin, 'baidu');
    const report = await (await h.start(bcc('i-dele0015'))).result();
    expect(report.outcome).toBe('released');
    expect(report.steps.find((s) => s.phase === 'destroy')).toMatchObject({ outcome: 'skipped' });
    expect((await h.admin.calls({ provider: 'baidu' })).filter((c) => /Release|Delete/.test(c.action))).toEqual([]);
    expectStateMatchesReport(before, await inventory(h.admin, 'baidu'), report);
  });

  it('Baidu: an ID with a typo is ResourceNotFound, not a release', async () => {
    const f = await failureOf((await h.start(bcc('i-post0O01'))).result());
    expect(f.type).toBe('ResourceNotFound');
    expect(f.message).toContain('i-post0O01');
    expect((await h.admin.calls({ provider: 'baidu' })).filter((c) => /Release|Delete/.test(c.action))).toEqual([]);
  });

  it('a malformed ID is a field error before any provider call', async () => {
    const f = await failureOf((await h.start(ecs('I-BP1../etc'))).result());
    expect(f.type).toBe('InvalidReleaseRequest');
    expect(f.message).toContain('resourceId');
    expect(await h.admin.calls({ provider: 'alibaba' })).toEqual([]);
  });
});
