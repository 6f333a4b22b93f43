import type Ecs from '@alicloud/ecs20140526';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createEcsClient } from '../../../providers/alibaba/client';
import { SimAdminClient } from '../../../simulators/admin-client';
import { startSimulators, type RunningSimulators } from '../../../simulators/runtime';

export interface AlibabaSim {
  sims: RunningSimulators;
  admin: SimAdminClient;
  /** The official ECS SDK client pointed at the simulator (region cn-hangzhou). */
  ecs: Ecs;
}

/** Starts the simulators for the file, resets them before each test; the fields are filled in beforeAll. */
export function useAlibabaSim(): AlibabaSim {
  const s = {} as AlibabaSim;
  beforeAll(async () => {
    const sims = await startSimulators();
    Object.assign(s, {
      sims,
      admin: new SimAdminClient(sims.endpoints.admin),
      ecs: createEcsClient({
        endpoint: sims.endpoints.alibaba,
        region: 'cn-hangzhou',
        accessKeyId: 'sim-alibaba-ak',
        accessKeySecret: 'sim-alibaba-sk',
        timeoutMs: 5000,
      }),
    });
  });
  afterAll(() => s.sims.close());
  beforeEach(() => s.sims.reset());
  return s;
}

/** The error an SDK call failed with; fails the test if the call succeeded. */
export async function failure(p: Promise<unknown>): Promise<{ code: string; statusCode: number; data: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; statusCode: number; data: Record<string, unknown> };
  }
  throw new Error('expected the call to fail');
}
