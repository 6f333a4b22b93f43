import * as $Ecs from '@alicloud/ecs20140526';
import { describe, expect, it } from 'vitest';
import { createEcsClient } from '../../../providers/alibaba/client';
import { useAlibabaSim } from './alibaba-setup';

// Throttling, the four fault kinds and the call log, as an SDK client sees them.

const STOP_MS = 300;
const ctx = useAlibabaSim();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function failure(p: Promise<unknown>): Promise<{ code?: string; statusCode?: number; name: string; data?: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; statusCode?: number; name: string; data?: Record<string, unknown> };
  }
  throw new Error('expected the call to fail');
}

const describeAll = () => ctx.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou' }));
const instanceState = (id: string) =>
  (ctx.sims.sims.alibaba.snapshot() as { instances: { id: string; status: string; releasing: boolean }[] }).instances.find((i) => i.id === id);

describe('throttling', () => {
  it('answers Throttling (HTTP 400) over the rate, which the SDK raises as a ThrottlingError', async () => {
    await ctx.admin.setThrottle('alibaba', { rps: 0.001, burst: 1 });
    await describeAll();
    const err = await failure(describeAll());
    expect([err.name, err.code, err.statusCode]).toEqual(['ThrottlingError', 'Throttling', 400]);
    expect(err.data).toMatchObject({ Code: 'Throttling', Message: 'Request was denied due to request throttling.' });
  });
});

describe('injected faults', () => {
  it('error: answers the catalogued status and message, and the call does not happen', async () => {
    await ctx.admin.injectFault({ provider: 'alibaba', action: 'DeleteInstance', error: { code: 'ServiceUnavailable' } });
    const err = await failure(ctx.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: 'i-bp1stoppedpaygo01' })));
    expect([err.code, err.statusCode]).toEqual(['ServiceUnavailable', 503]);
    expect(instanceState('i-bp1stoppedpaygo01')?.releasing).toBe(false);
    const [call] = await ctx.admin.calls({ provider: 'alibaba', action: 'DeleteInstance' });
    expect(call).toMatchObject({ injected: true, httpStatus: 503, errorCode: 'ServiceUnavailable' });
  });

  it('latency: delays the answer', async () => {
    await ctx.admin.injectFault({ provider: 'alibaba', action: 'DescribeInstances', latencyMs: 300 });
    const started = Date.now();
    await describeAll();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('dropped response: the call is applied, the SDK gets no answer', async () => {
    await ctx.admin.injectFault({ provider: 'alibaba', action: 'DeleteInstance', target: 'i-bp1stoppedpaygo01', dropResponse: true, times: 1 });
    const err = await failure(ctx.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: 'i-bp1stoppedpaygo01' })));
    expect(err.statusCode).toBeUndefined();
    expect(instanceState('i-bp1stoppedpaygo01')?.releasing).toBe(true);
    const [call] = await ctx.admin.calls({ action: 'DeleteInstance', target: 'i-bp1stoppedpaygo01' });
    expect(call).toMatchObject({ dropped: true, httpStatus: 200 }); // what it would have answered
  });

  it('an error answered after the call was applied: the SDK sees the error, the state and the call log show it applied', async () => {
    await ctx.admin.injectFault({
      provider: 'alibaba',
      action: 'DeleteInstance',
      target: 'i-bp1stoppedpaygo01',
      error: { code: 'ServiceUnavailable', httpStatus: 503 },
      applied: true,
      times: 1,
    });
    const err = await failure(ctx.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: 'i-bp1stoppedpaygo01' })));
    expect(err).toMatchObject({ code: 'ServiceUnavailable', statusCode: 503 });
    expect(instanceState('i-bp1stoppedpaygo01')?.releasing).toBe(true);
    const [call] = await ctx.admin.calls({ action: 'DeleteInstance', target: 'i-bp1stoppedpaygo01' });
    expect(call).toMatchObject({ httpStatus: 503, errorCode: 'ServiceUnavailable', injected: true });
  });

  it('a request whose client went away is still applied and still in the call log', async () => {
    await ctx.admin.injectFault({ provider: 'alibaba', action: 'DeleteInstance', target: 'i-bp1stoppedpaygo01', latencyMs: 1_500, times: 1 });
    const impatient = createEcsClient({
      endpoint: ctx.sims.endpoints.alibaba,
      region: 'cn-hangzhou',
      accessKeyId: 'sim-alibaba-ak',
      accessKeySecret: 'sim-alibaba-sk',
      timeoutMs: 300,
    });
    await failure(impatient.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: 'i-bp1stoppedpaygo01' })));
    await sleep(1_700);
    expect(instanceState('i-bp1stoppedpaygo01')?.releasing).toBe(true);
    expect(await ctx.admin.calls({ action: 'DeleteInstance', target: 'i-bp1stoppedpaygo01' })).toHaveLength(1);
  });

  it('stuck: holds an instance in Stopping until the fault is cleared', async () => {
    await ctx.admin.injectFault({ provider: 'alibaba', target: 'i-bp1runningpaygo02', stuck: true });
    await ctx.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: 'i-bp1runningpaygo02' }));
    await sleep(STOP_MS + 100);
    await describeAll();
    expect(instanceState('i-bp1runningpaygo02')?.status).toBe('Stopping');
    await ctx.admin.clearFaults();
    await describeAll();
    expect(instanceState('i-bp1runningpaygo02')?.status).toBe('Stopped');
  });
});

describe('call log', () => {
  it('records action, target, status and error code of each call', async () => {
    await failure(ctx.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: 'i-bp1protected05' })));
    await ctx.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: 'i-bp1stoppedpaygo01' }));
    await ctx.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: 'cn-hangzhou', instanceId: 'i-bp1stoppedpaygo01' }));
    await ctx.ecs.deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: 's-bp1orphan01user' }));
    const calls = await ctx.admin.calls({ provider: 'alibaba' });
    expect(calls.map(({ action, target, httpStatus, errorCode }) => ({ action, target, httpStatus, errorCode }))).toEqual([
      { action: 'DeleteInstance', target: 'i-bp1protected05', httpStatus: 400, errorCode: 'InvalidOperation.DeletionProtection' },
      { action: 'DeleteInstance', target: 'i-bp1stoppedpaygo01', httpStatus: 200, errorCode: undefined },
      { action: 'DescribeDisks', target: 'i-bp1stoppedpaygo01', httpStatus: 200, errorCode: undefined },
      { action: 'DeleteSnapshot', target: 's-bp1orphan01user', httpStatus: 200, errorCode: undefined },
    ]);
    expect(calls.every((c) => c.method === 'POST' && c.path === '/' && /^[0-9A-F-]{36}$/.test(c.requestId))).toBe(true);
  });
});
