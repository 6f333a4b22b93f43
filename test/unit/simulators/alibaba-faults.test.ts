import * as $Ecs from '@alicloud/ecs20140526';
import type Ecs from '@alicloud/ecs20140526';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEcsClient } from '../../../providers/alibaba/client';
import { SimAdminClient } from '../../../simulators/admin-client';
import { startSimulators, type RunningSimulators } from '../../../simulators/runtime';

// Throttling, the four fault kinds and the call log, as an SDK client sees them.

const STOP_MS = 300;
let sims: RunningSimulators;
let admin: SimAdminClient;
let ecs: Ecs;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function failure(p: Promise<unknown>): Promise<{ code?: string; statusCode?: number; name: string; data?: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; statusCode?: number; name: string; data?: Record<string, unknown> };
  }
  throw new Error('expected the call to fail');
}

const describeAll = () => ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou' }));
const instanceState = (id: string) => (sims.sims.alibaba.snapshot() as { instances: { id: string; status: string; releasing: boolean }[] }).instances.find((i) => i.id === id);

beforeAll(async () => {
  sims = await startSimulators();
  admin = new SimAdminClient(sims.endpoints.admin);
  ecs = createEcsClient({ endpoint: sims.endpoints.alibaba, region: 'cn-hangzhou', accessKeyId: 'sim-alibaba-ak', accessKeySecret: 'sim-alibaba-sk', timeoutMs: 5000 });
});
afterAll(() => sims.close());
beforeEach(() => sims.reset());

describe('throttling', () => {
  it('answers Throttling (HTTP 400) over the rate, which the SDK raises as a ThrottlingError', async () => {
    await admin.setThrottle('alibaba', { rps: 0.001, burst: 1 });
    await describeAll();
    const err = await failure(describeAll());
    expect([err.name, err.code, err.statusCode]).toEqual(['ThrottlingError', 'Throttling', 400]);
    expect(err.data).toMatchObject({ Code: 'Throttling', Message: 'Request was denied due to request throttling.' });
  });
});

describe('injected faults', () => {
  it('error: answers the catalogued status and message, and the call does not happen', async () => {
    await admin.injectFault({ provider: 'alibaba', action: 'DeleteInstance', error: { code: 'ServiceUnavailable' } });
    const err = await failure(ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: 'i-bp1stoppedpaygo01' })));
    expect([err.code, err.statusCode]).toEqual(['ServiceUnavailable', 503]);
    expect(instanceState('i-bp1stoppedpaygo01')?.releasing).toBe(false);
    const [call] = await admin.calls({ provider: 'alibaba', action: 'DeleteInstance' });
    expect(call).toMatchObject({ injected: true, httpStatus: 503, errorCode: 'ServiceUnavailable' });
  });

  it('latency: delays the answer', async () => {
    await admin.injectFault({ provider: 'alibaba', action: 'DescribeInstances', latencyMs: 300 });
    const started = Date.now();
    await describeAll();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('dropped response: the call is applied, the SDK gets no answer', async () => {
    await admin.injectFault({ provider: 'alibaba', action: 'DeleteInstance', target: 'i-bp1stoppedpaygo01', dropResponse: true, times: 1 });
    const err = await failure(ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: 'i-bp1stoppedpaygo01' })));
    expect(err.statusCode).toBeUndefined();
    expect(instanceState('i-bp1stoppedpaygo01')?.releasing).toBe(true);
    const [call] = await admin.calls({ action: 'DeleteInstance', target: 'i-bp1stoppedpaygo01' });
    expect(call).toMatchObject({ dropped: true, httpStatus: 200 }); // what it would have answered
  });

  it('stuck: holds an instance in Stopping until the fault is cleared', async () => {
    await admin.injectFault({ provider: 'alibaba', target: 'i-bp1runningpaygo02', stuck: true });
    await ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: 'i-bp1runningpaygo02' }));
    await sleep(STOP_MS + 100);
    await describeAll();
    expect(instanceState('i-bp1runningpaygo02')?.status).toBe('Stopping');
    await admin.clearFaults();
    await describeAll();
    expect(instanceState('i-bp1runningpaygo02')?.status).toBe('Stopped');
  });
});

describe('call log', () => {
  it('records action, target, status and error code of each call', async () => {
    await failure(ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: 'i-bp1protected05' })));
    await ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: 'i-bp1stoppedpaygo01' }));
    await ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: 'cn-hangzhou', instanceId: 'i-bp1stoppedpaygo01' }));
    await ecs.deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: 's-bp1orphan01user' }));
    const calls = await admin.calls({ provider: 'alibaba' });
    expect(calls.map(({ action, target, httpStatus, errorCode }) => ({ action, target, httpStatus, errorCode }))).toEqual([
      { action: 'DeleteInstance', target: 'i-bp1protected05', httpStatus: 400, errorCode: 'InvalidOperation.DeletionProtection' },
      { action: 'DeleteInstance', target: 'i-bp1stoppedpaygo01', httpStatus: 200, errorCode: undefined },
      { action: 'DescribeDisks', target: 'i-bp1stoppedpaygo01', httpStatus: 200, errorCode: undefined },
      { action: 'DeleteSnapshot', target: 's-bp1orphan01user', httpStatus: 200, errorCode: undefined },
    ]);
    expect(calls.every((c) => c.method === 'POST' && c.path === '/' && /^[0-9A-F-]{36}$/.test(c.requestId))).toBe(true);
  });
});
