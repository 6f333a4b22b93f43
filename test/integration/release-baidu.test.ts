// releaseResource end to end on the real dev server against the Baidu BCC simulator.
import { describe, expect, it } from 'vitest';
import type { ReleaseRequest } from '../../domain/request';
import { failureOf, useSimHarness } from './harness';

const request = (resourceId: string, extra: Partial<ReleaseRequest> = {}): ReleaseRequest => ({
  provider: 'baidu',
  kind: 'bcc-instance',
  region: 'bj',
  resourceId,
  requestedBy: 'alice@platform',
  ticket: 'CHG-5',
  backup: { required: false },
  ...extra,
});
interface BaiduState {
  baidu: { instances: { id: string }[]; volumes: { id: string; instanceId?: string | null }[]; snapshots: { id: string; volumeId: string }[] };
}

describe('Baidu BCC release', () => {
  const h = useSimHarness();

  it('releases a postpaid instance once: CDS disks detached and kept, system-disk snapshots deleted', async () => {
    const before = await h.admin.state<BaiduState>();
    const volumes = before.baidu.volumes.filter((v) => v.instanceId === 'i-mixd0005').map((v) => v.id);
    const report = await (await h.start(request('i-mixd0005'))).result();
    expect(report.outcome).toBe('released');
    expect(await h.admin.calls({ provider: 'baidu', action: 'ReleaseInstance' })).toHaveLength(1);
    const after = await h.admin.state<BaiduState>();
    expect(after.baidu.instances.map((i) => i.id)).not.toContain('i-mixd0005');
    const keptDisks = report.retained.filter((r) => r.type === 'disk').map((r) => r.id);
    expect(keptDisks.length).toBeGreaterThan(0);
    for (const id of keptDisks) expect(after.baidu.volumes.map((v) => v.id)).toContain(id);
    for (const d of report.deleted.filter((x) => x.type === 'snapshot')) expect(after.baidu.snapshots.map((s) => s.id)).not.toContain(d.id);
    expect(volumes.length).toBeGreaterThan(keptDisks.length);
  });

  it('releases postpaid CDS disks and their snapshots with the instance when asked (related release)', async () => {
    const report = await (await h.start(request('i-mixd0005', { options: { retainedDataDisks: 'delete', retainedSnapshots: 'delete' } }))).result();
    expect(report.outcome).toBe('released');
    expect(await h.admin.calls({ action: 'ReleaseInstanceWithRelated' })).toHaveLength(1);
    const after = await h.admin.state<BaiduState>();
    for (const d of report.deleted.filter((x) => x.type === 'disk')) expect(after.baidu.volumes.map((v) => v.id)).not.toContain(d.id);
  });

  it.each([
    ['an unexpired prepaid instance', 'i-prep0002', 'unexpired subscription'],
    ['an instance still being created', 'i-crea0004', 'still being created'],
  ])('refuses %s before any call', async (_name, id, message) => {
    const f = await failureOf((await h.start(request(id))).result());
    expect(f.type).toBe('ReleaseBlocked');
    expect(f.message).toContain(message);
    expect(await h.admin.calls({ action: 'ReleaseInstance' })).toHaveLength(0);
  });

  it('releases an expired prepaid instance', async () => {
    const report = await (await h.start(request('i-prep0003'))).result();
    expect(report.outcome).toBe('released');
  });

  it('retries a 5xx answer and releases once', async () => {
    await h.admin.injectFault({ provider: 'baidu', action: 'ReleaseInstance', error: { code: 'InternalError', httpStatus: 500 }, times: 1 });
    const report = await (await h.start(request('i-post0001'))).result();
    expect(report.outcome).toBe('released');
    expect((await h.admin.calls({ action: 'ReleaseInstance' })).filter((c) => !c.injected)).toHaveLength(1);
    expect(report.providerErrors[0].code).toBe('InternalError');
  });
});
