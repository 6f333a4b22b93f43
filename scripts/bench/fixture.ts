// The benchmark's simulator inventory: N identical Alibaba ECS instances that a release deletes without
// any gate or prepare step (Stopped, pay-as-you-go, no protection or lock), each with the disks and
// snapshots a real instance has, so `inspect` and the plan do their full work.
import type { AlibabaSection } from '../../simulators/alibaba/fixture';
import { defaultFixture, type Fixture } from '../../simulators/runtime';

export const BENCH_REGION = 'cn-hangzhou';

export interface BenchTiming {
  /** How long a Stopping instance takes to stop (unused by the stopped instances, kept small anyway). */
  stopMs: number;
  /** How long an accepted DeleteInstance takes before the instance disappears. */
  deleteMs: number;
}

/** i-bench000001, i-bench000002, … (the simulator's ID pattern is ^i-[A-Za-z0-9]+$). */
export function benchInstanceId(index: number): string {
  return `i-bench${String(index).padStart(6, '0')}`;
}

/** The fleet's instances, i-fleet000001, …: tagged `group=fleet`, so a batch's selector finds them and nothing else. */
export function fleetInstanceId(index: number): string {
  return `i-fleet${String(index).padStart(6, '0')}`;
}

export const FLEET_TAG = { key: 'group', value: 'fleet' } as const;

/** Every release in the bench ends the same way, so one instance's shape is the whole fixture. */
function benchInstance(id: string, tags: Record<string, string>): Pick<Required<AlibabaSection>, 'instances' | 'disks' | 'snapshots'> {
  const stem = id.slice(2);
  return {
    instances: [{ id, name: `bench-${stem}`, status: 'Stopped', chargeType: 'PostPaid', createdAt: '-30d', tags: { env: 'bench', ...tags } }],
    disks: [
      { id: `d-${stem}sys`, instanceId: id, type: 'system', sizeGb: 40, deleteWithInstance: true, deleteAutoSnapshot: true, createdAt: '-30d' },
      { id: `d-${stem}dat`, instanceId: id, type: 'data', sizeGb: 200, deleteWithInstance: true, deleteAutoSnapshot: true, createdAt: '-30d' },
    ],
    // The auto snapshot goes with its disk; the user snapshot is kept (the request's default "keep" policy).
    snapshots: [
      { id: `s-${stem}sysauto`, sourceDiskId: `d-${stem}sys`, type: 'auto', createdAt: '-1d' },
      { id: `s-${stem}datuser`, sourceDiskId: `d-${stem}dat`, type: 'user', name: 'before-bench', createdAt: '-2d' },
    ],
  };
}

/**
 * A whole simulator fixture with `count` bench instances and `fleet` fleet instances on Alibaba. Baidu and Huawei keep
 * their default sections: the sandbox provider config needs each provider's access key even though the bench never calls them.
 */
export function benchFixture(count: number, fleet: number, timing: BenchTiming): Fixture {
  const defaults = defaultFixture();
  const alibaba: Required<Pick<AlibabaSection, 'instances' | 'disks' | 'snapshots'>> & AlibabaSection = {
    accessKeys: (defaults.alibaba as AlibabaSection).accessKeys,
    timing: { stopMs: timing.stopMs, deleteMs: timing.deleteMs },
    instances: [],
    disks: [],
    snapshots: [],
  };
  const add = (one: ReturnType<typeof benchInstance>) => {
    alibaba.instances.push(...one.instances);
    alibaba.disks.push(...one.disks);
    alibaba.snapshots.push(...one.snapshots);
  };
  for (let i = 1; i <= count; i++) add(benchInstance(benchInstanceId(i), {}));
  for (let i = 1; i <= fleet; i++) add(benchInstance(fleetInstanceId(i), { [FLEET_TAG.key]: FLEET_TAG.value }));
  return { alibaba, baidu: defaults.baidu, huawei: defaults.huawei };
}
