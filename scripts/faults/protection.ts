// The fault suite's protection cases: the release-protection tag in many spellings, override approvals sent by
// the requester under other spellings of their own name, and deletion protection switched on at the provider
// between plan and destroy. Their resources are copies of a releasable Alibaba instance (i-bp1stoppedpaygo01),
// each under an ID of its own, added to the default fixture.
import Ecs, * as $Ecs from '@alicloud/ecs20140526';
import * as $OpenApi from '@alicloud/openapi-client';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { approveOverride, confirmBackup, progress, type ReleaseHandle } from '../../client/release';
import { ReleaseFailureType } from '../../common/failure-types';
import type { ReleaseReport } from '../../domain/report';
import type { ReleaseRequest } from '../../domain/request';
import type { CallRecord } from '../../simulators/core/call-log';
import type { Progress } from '../../workflows/messages';
import { defaultFixture, type Fixture } from '../../simulators/runtime';
import { simKey } from '../../simulators/sandbox-config';
import type { ReleaseCase } from './catalogue';
import { DESTRUCTIVE } from './evidence';
import type { Invariant } from './invariant';
import { messageOf, sleep, withTimeout } from './support';

const SOURCE = 'i-bp1stoppedpaygo01';
const APPROVER = 'carol@security';
const CHANGED = 'i-bp1changed01';
/** An update may wait for a workflow task that a killed worker held (about 10 s). */
const UPDATE_MS = 45_000;

interface Spelling {
  id: string;
  key: string;
  value: string;
  protects: boolean;
}

/** The tag as people write it. Only the documented off values (false, off, no, 0) leave a resource unprotected. */
const SPELLINGS: Spelling[] = (
  [
    ['release-protection', 'True', true],
    ['release-protection', 'TRUE', true],
    ['release-protection', 'yes', true],
    ['release-protection', ' true', true],
    ['release-protection', '1', true],
    ['Release-Protection', 'true', true],
    ['RELEASE_PROTECTION', 'true', true],
    ['release_protection', 'true', true],
    ['releaseProtection', 'true', true],
    ['r\u0435lease-protection', 'true', true], // a Cyrillic е
    ['release-protection', '  on  ', true],
    ['release-protection', '', true],
    ['release-protection', 'maybe', true],
    ['release-protection', 'no thanks', true],
    ['release-protection', 'false', false],
  ] as const
).map(([key, value, protects], i) => ({ id: `i-bp1spellcase${String(i + 1).padStart(2, '0')}`, key, value, protects }));

interface SelfApproval {
  id: string;
  requestedBy: string;
  /** The requester's own name, spelled otherwise: each must be refused. */
  spellings: string[];
}

const SELF_APPROVALS: SelfApproval[] = [
  {
    id: 'i-bp1selfappr01',
    requestedBy: 'alice@platform',
    spellings: [
      'Alice@Platform',
      'ALICE@PLATFORM',
      '  alice@platform  ',
      'mailto:alice@platform',
      'alice\u200b@platform', // a zero-width space
      'ａｌｉｃｅ@platform', // full-width
      '\u0430lice@platform', // a Cyrillic а
      'alice@pl\u0430tform',
    ],
  },
  {
    id: 'i-bp1selfappr02',
    requestedBy: 'josé@platform',
    spellings: ['jose@platform', 'JOSÉ@PLATFORM', ' José@Platform\t', 'jose\u0301@platform', 'j\u043e\u0455\u0435@platform'],
  },
];

interface AlibabaSection {
  instances: { id: string; tags?: Record<string, string> }[];
  disks: { id: string; instanceId?: string | null }[];
  snapshots: { id: string; sourceDiskId?: string }[];
}

/** A copy of the source instance, its disks and their snapshots, under `id` (d-bp1stopped01sys → d-bp1<stem>sys). */
function copyInstance(ali: AlibabaSection, id: string, tags: Record<string, string>): void {
  const rename = (s: string) => s.replace('stopped01', id.slice('i-bp1'.length));
  const source = ali.instances.find((i) => i.id === SOURCE)!;
  const disks = ali.disks.filter((d) => d.instanceId === SOURCE);
  const diskIds = new Set(disks.map((d) => d.id));
  ali.instances.push({ ...source, id, tags: { ...source.tags, ...tags } });
  ali.disks.push(...disks.map((d) => ({ ...d, id: rename(d.id), instanceId: id })));
  ali.snapshots.push(
    ...ali.snapshots.filter((s) => diskIds.has(s.sourceDiskId ?? '')).map((s) => ({ ...s, id: rename(s.id), sourceDiskId: rename(s.sourceDiskId!) })),
  );
}

/** The default fixture plus every copy the protection cases release. */
export function protectionFixture(): Fixture {
  const fixture = defaultFixture();
  const ali = fixture.alibaba as AlibabaSection;
  for (const s of SPELLINGS) copyInstance(ali, s.id, { [s.key]: s.value });
  for (const a of SELF_APPROVALS) copyInstance(ali, a.id, { 'release-protection': 'true' });
  copyInstance(ali, CHANGED, {});
  return fixture;
}

const request = (resourceId: string, extra: Partial<ReleaseRequest> = {}): ReleaseRequest => ({
  provider: 'alibaba',
  kind: 'ecs-instance',
  region: 'cn-hangzhou',
  resourceId,
  requestedBy: 'alice@platform',
  ticket: 'CHG-FAULTS',
  backup: { required: false },
  ...extra,
});

/** Until `reached` holds for the release's progress (queries fail while its worker is down: polled again). */
async function waitUntil(h: ReleaseHandle, reached: (p: Progress) => boolean, what: string): Promise<void> {
  const until = Date.now() + 90_000;
  for (;;) {
    const p = await progress(h).catch(() => undefined);
    if (p && reached(p)) return;
    if (p && p.outcome !== 'in-progress') throw new Error(`ended (${p.outcome}) before it ${what}`);
    if (Date.now() > until) throw new Error(`never ${what} (last phase: ${p?.phase ?? 'unknown'})`);
    await sleep(300);
  }
}

/** Deletion protection switched on through the provider's own API (the official SDK), as an operator would. */
async function protectAtProvider(endpoint: string, instanceId: string): Promise<void> {
  const key = simKey(defaultFixture(), 'alibaba');
  const ecs = new Ecs(
    new $OpenApi.Config({
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.secretAccessKey,
      endpoint: new URL(endpoint).host,
      protocol: 'http',
      regionId: 'cn-hangzhou',
    }),
  );
  await ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId, deletionProtection: true }));
}

type EndingLike = { name: string; workflowId: string; got: string; detail?: string; report?: ReleaseReport };

export interface ProtectionRun {
  cases: ReleaseCase[];
  /** Figure lines and invariants, from the endings and the simulators' call log. */
  verdicts(endings: EndingLike[], calls: CallRecord[]): { lines: string[]; invariants: Invariant[] };
}

/**
 * The protection cases of a run. `sample` (the short profile) takes every other spelling (and the off value) and
 * one override. `serverUp` resolves once the Temporal server is back from its crash: updates are sent after it.
 */
export function protectionRun(ctx: { alibabaEndpoint: string; serverUp: Promise<void> }, sample: boolean): ProtectionRun {
  const spellings = SPELLINGS.filter((s, i) => !sample || i % 2 === 0 || !s.protects);
  const selfApprovals = sample ? SELF_APPROVALS.slice(0, 1) : SELF_APPROVALS;
  const tally = { tried: 0, refused: 0, accepted: [] as string[], other: [] as string[] };
  const spellingName = (s: Spelling) => `protection tag ${JSON.stringify(s.key)}=${JSON.stringify(s.value)}`;
  const selfName = (a: SelfApproval) => `override, self-approved by ${a.requestedBy}`;
  const changedName = 'deletion protection on before destroy';

  const selfApprove = (a: SelfApproval) => async (h: ReleaseHandle) => {
    await waitUntil(h, (p) => (p.waitingFor ?? '').includes('approveOverride'), 'waited for approveOverride');
    await ctx.serverUp;
    for (const approvedBy of a.spellings) {
      tally.tried++;
      try {
        await withTimeout(approveOverride(h, { approvedBy }), UPDATE_MS, `approveOverride by ${approvedBy}`);
        tally.accepted.push(`${a.id}: ${JSON.stringify(approvedBy)}`);
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) tally.refused++;
        else tally.other.push(`${a.id}: ${JSON.stringify(approvedBy)}: ${messageOf(err).slice(0, 120)}`);
      }
    }
    await withTimeout(approveOverride(h, { approvedBy: APPROVER, comment: 'fault suite' }), UPDATE_MS, `approveOverride by ${APPROVER}`);
  };

  const changeBeforeDestroy = async (h: ReleaseHandle) => {
    await waitUntil(h, (p) => p.phase === 'confirm', 'reached its backup gate');
    await protectAtProvider(ctx.alibabaEndpoint, CHANGED);
    await ctx.serverUp;
    await withTimeout(confirmBackup(h, { confirmedBy: 'bob@platform', backupReference: 'snap-faults-changed' }), UPDATE_MS, 'confirmBackup');
  };

  const cases: ReleaseCase[] = [
    ...spellings.map((s): ReleaseCase => ({ name: spellingName(s), request: request(s.id), expect: s.protects ? 'ReleaseBlocked' : 'released' })),
    ...selfApprovals.map((a): ReleaseCase => ({
      name: selfName(a),
      request: request(a.id, { requestedBy: a.requestedBy, options: { overrideProtectionTag: true } }),
      expect: 'released',
      steer: selfApprove(a),
    })),
    {
      name: changedName,
      request: request(CHANGED, { backup: { required: true, confirmWithin: '10m' } }),
      expect: ReleaseFailureType.changed,
      steer: changeBeforeDestroy,
    },
  ];

  const verdicts = (endings: EndingLike[], calls: CallRecord[]) => {
    const ending = (name: string) => endings.find((e) => e.name === name);
    const destructive = (id: string) =>
      calls.filter((c) => c.provider === 'alibaba' && DESTRUCTIVE.alibaba.has(c.action) && (c.target ?? '').split(',').includes(id)).length;
    const show = (name: string) => {
      const e = ending(name);
      return `${name}: ${e?.got ?? 'no ending'}${e?.detail ? ` (${e.detail.slice(0, 120)})` : ''}`;
    };

    const spellingWrong = spellings.filter((s) => {
      const e = ending(spellingName(s));
      if (!s.protects) return e?.got !== 'released' || destructive(s.id) === 0;
      const plan = e?.report?.plan;
      const byTag = plan?.outcome === 'blocked' && plan.blockers.some((b) => b.code === 'protection-tag');
      return e?.got !== ReleaseFailureType.blocked || !byTag || destructive(s.id) > 0;
    });
    const blocked = spellings.filter((s) => s.protects && !spellingWrong.includes(s)).length;
    const protecting = spellings.filter((s) => s.protects).length;

    const expectedTries = selfApprovals.reduce((n, a) => n + a.spellings.length, 0);
    const approvalWrong = selfApprovals.filter((a) => {
      const e = ending(selfName(a));
      const by = (e?.report?.approvals ?? []).filter((x) => x.gate === 'protection-override').map((x) => x.by);
      return e?.got !== 'released' || by.length !== 1 || by[0] !== APPROVER;
    });

    const changed = ending(changedName);
    const changedOk = changed?.got === ReleaseFailureType.changed && destructive(CHANGED) === 0;

    const lines = [
      `  protection tag spellings: ${spellings.length} tried, ${blocked}/${protecting} blocked by the tag, the off value ${spellingWrong.some((s) => !s.protects) ? 'NOT released' : 'released'}`,
      `  self-approvals of an override: ${tally.tried} tried, ${tally.refused} refused, then approved by ${APPROVER} (${selfApprovals.length} releases)`,
      `  deletion protection on between plan and destroy: ${changed?.got ?? 'no ending'}, ${destructive(CHANGED)} destructive calls`,
    ];
    const invariants: Invariant[] = [
      {
        figure: 'protection spellings blocked by the tag (off value: released)',
        value: `${spellings.length - spellingWrong.length}/${spellings.length}`,
        required: `${spellings.length}/${spellings.length}`,
        ok: spellingWrong.length === 0,
        why: spellingWrong.map((s) => `${show(spellingName(s))}, ${destructive(s.id)} destructive calls`),
      },
      {
        figure: 'self-approvals refused (then approved by someone else)',
        value: `${tally.refused}/${tally.tried}`,
        required: `${expectedTries}/${expectedTries}`,
        ok: tally.refused === expectedTries && tally.tried === expectedTries && approvalWrong.length === 0,
        why: [...tally.accepted.map((x) => `accepted: ${x}`), ...tally.other, ...approvalWrong.map((a) => show(selfName(a)))],
      },
      {
        figure: 'protection on before destroy: ResourceChangedBeforeRelease',
        value: changedOk ? '1/1' : '0/1',
        required: '1/1',
        ok: changedOk,
        why: [`${show(changedName)}, ${destructive(CHANGED)} destructive calls`],
      },
    ];
    return { lines, invariants };
  };

  return { cases, verdicts };
}
