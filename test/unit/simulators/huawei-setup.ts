import type { EcsClient } from '@huaweicloud/huaweicloud-sdk-ecs';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { SimAdminClient } from '../../../simulators/admin-client';
import { ecsClient } from '../../../simulators/huawei/sdk-clients';
import { startSimulators, type RunningSimulators } from '../../../simulators/runtime';

const PROJECT = '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e';
const CRED = { accessKeyId: 'HWSIMAKDEFAULT000001', secretAccessKey: 'hwsim-secret-default-not-a-real-key-0001' };

export interface HuaweiSim {
  sims: RunningSimulators;
  admin: SimAdminClient;
  /** The official ECS SDK client pointed at the simulator (default project and key). */
  ecs: EcsClient;
}

/** Starts the simulators for the file, resets them before each test; the fields are filled in beforeAll. */
export function useHuaweiSim(): HuaweiSim {
  const s = {} as HuaweiSim;
  beforeAll(async () => {
    const sims = await startSimulators();
    Object.assign(s, { sims, admin: new SimAdminClient(sims.endpoints.admin), ecs: ecsClient(sims.endpoints.huawei, CRED, PROJECT) });
  });
  afterAll(() => s.sims.close());
  beforeEach(() => s.sims.reset());
  return s;
}
