import { afterAll, beforeAll, beforeEach } from 'vitest';
import { rejectedAs } from '../application-failure';
import { ProviderError, type ProviderAdapter } from '../../../providers/adapter';
import { createHuaweiAdapter, type HuaweiAdapterConfig } from '../../../providers/huawei';
import { SimAdminClient } from '../../../simulators/admin-client';
import { startSimulators, type RunningSimulators } from '../../../simulators/runtime';

const KEY = { accessKeyId: 'HWSIMAKDEFAULT000001', secretAccessKey: 'hwsim-secret-default-not-a-real-key-0001', domainId: '7c1e9a2b3d4f4e5a8b6c0d1e2f3a4b5c' };

export interface HuaweiAdapterSim {
  sims: RunningSimulators;
  admin: SimAdminClient;
  /** The Huawei adapter with every endpoint on the simulator and the default key, plus `over`. */
  adapter: ProviderAdapter;
}

/** Starts the simulators for the file, resets them before each test; the fields are filled in beforeAll. */
export function useHuaweiAdapter(over: Partial<HuaweiAdapterConfig> = {}): HuaweiAdapterSim {
  const s = {} as HuaweiAdapterSim;
  beforeAll(async () => {
    const sims = await startSimulators();
    const url = sims.endpoints.huawei;
    const adapter = createHuaweiAdapter({ endpoints: { modelarts: url, ecs: url, dcc: url, bss: url }, credentials: KEY, ...over });
    Object.assign(s, { sims, admin: new SimAdminClient(sims.endpoints.admin), adapter });
  });
  afterAll(() => s.sims.close());
  beforeEach(() => s.sims.reset());
  return s;
}

/** The ProviderError a call rejected with; fails the test on anything else. */
export const rejection = (p: Promise<unknown>): Promise<ProviderError> => rejectedAs(p, ProviderError);
