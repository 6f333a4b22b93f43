// What the fault suite sends: the releases (each with the ending the default fixtures lead to), the catalogue
// of malformed workflow inputs, and the malformed update payloads.
import type { ReleaseHandle } from '../../client/release';
import type { ReleaseRequest } from '../../domain/request';

export const HUAWEI_PROJECT = '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e';

/** How a case must end: a completed outcome, or a failure type. */
export interface ReleaseCase {
  name: string;
  request: ReleaseRequest;
  expect: 'released' | 'dry-run' | 'delegated' | 'ReleaseBlocked' | 'ResourceNotFound' | 'DeleteFailed' | 'ResourceChangedBeforeRelease';
  /** Started under this workflow ID through the raw path (a UI user typing an ID of their own), not startRelease. */
  rawWorkflowId?: string;
  /** What people do to the release while it runs (updates, changes at the provider); the release is terminated if it throws. */
  steer?: (handle: ReleaseHandle) => Promise<void>;
}

const base = { requestedBy: 'alice@platform', ticket: 'CHG-FAULTS', backup: { required: false } } as const;
/**
 * How long a release watches for its resource to go: a simulated delete takes well under a second, and a destructive
 * attempt whose worker was killed after "maybe sent" (docs/destructive-calls.md) must end DestructiveOutcomeUnknown
 * within the suite's deadline, not after the default 30 minutes.
 */
export const WAIT_GONE_WITHIN = '45s';
const withDefaults = (extra: Partial<ReleaseRequest>) => ({ ...base, ...extra, options: { waitGoneWithin: WAIT_GONE_WITHIN, ...extra.options } });
const ali = (resourceId: string, extra: Partial<ReleaseRequest> = {}): ReleaseRequest => ({
  provider: 'alibaba',
  kind: 'ecs-instance',
  region: 'cn-hangzhou',
  resourceId,
  ...withDefaults(extra),
});
const bcc = (resourceId: string, extra: Partial<ReleaseRequest> = {}): ReleaseRequest => ({
  provider: 'baidu',
  kind: 'bcc-instance',
  region: 'bj',
  resourceId,
  ...withDefaults(extra),
});
const hw = (kind: ReleaseRequest['kind'], resourceId: string, extra: Partial<ReleaseRequest> = {}): ReleaseRequest => ({
  provider: 'huawei',
  kind,
  region: 'cn-southwest-2',
  projectId: HUAWEI_PROJECT,
  resourceId,
  ...withDefaults(extra),
});
const uuid = (prefix: string, n: number) => `${prefix}${String(n).padStart(7, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Releases of the default fixtures (the integration tests' resources), every kind, with how each must end. */
export const RELEASES: ReleaseCase[] = [
  { name: 'alibaba stopped pay-as-you-go', request: ali('i-bp1stoppedpaygo01'), expect: 'released' },
  { name: 'alibaba running, stopped first', request: ali('i-bp1runningpaygo02', { options: { stopIfRunning: true } }), expect: 'released' },
  { name: 'alibaba seeded Stopping', request: ali('i-bp1stopping11', { options: { stopIfRunning: true } }), expect: 'released' },
  { name: 'alibaba data disks deleted at cleanup', request: ali('i-bp1autosnap10', { options: { retainedDataDisks: 'delete' } }), expect: 'released' },
  { name: 'alibaba deletion protection', request: ali('i-bp1protected05'), expect: 'ReleaseBlocked' },
  { name: 'alibaba dry run (protected)', request: ali('i-bp1protected05', { dryRun: true }), expect: 'dry-run' },
  { name: 'baidu postpaid', request: bcc('i-post0001'), expect: 'released' },
  {
    name: 'baidu related release',
    request: bcc('i-mixd0005', { options: { retainedDataDisks: 'delete', retainedSnapshots: 'delete' } }),
    expect: 'released',
  },
  { name: 'baidu expired prepaid', request: bcc('i-prep0003'), expect: 'released' },
  { name: 'baidu recycle bin, typed-in ID', request: bcc('i-recy0011'), expect: 'delegated', rawWorkflowId: 'faults/typed-in-the-ui/i-recy0011' },
  { name: 'baidu unexpired prepaid', request: bcc('i-prep0002'), expect: 'ReleaseBlocked' },
  { name: 'baidu still being created', request: bcc('i-crea0004'), expect: 'ReleaseBlocked' },
  { name: 'baidu typo in the ID', request: bcc('i-post0O01'), expect: 'ResourceNotFound' },
  { name: 'baidu dry run (unexpired)', request: bcc('i-prep0002', { dryRun: true }), expect: 'dry-run' },
  { name: 'huawei node pay-per-use', request: hw('modelarts-node', uuid('d', 1)), expect: 'released' },
  { name: 'huawei node unsubscribe', request: hw('modelarts-node', uuid('d', 2)), expect: 'released' },
  { name: 'huawei node d3', request: hw('modelarts-node', uuid('d', 3)), expect: 'released' },
  { name: 'huawei node frozen, released', request: hw('modelarts-node', uuid('d', 11)), expect: 'released' },
  { name: 'huawei node DELETE_FAILED', request: hw('modelarts-node', uuid('d', 14)), expect: 'DeleteFailed' },
  { name: 'huawei supernode', request: hw('modelarts-supernode', uuid('c', 1)), expect: 'released' },
  { name: 'huawei rack', request: hw('modelarts-rack', uuid('a', 1)), expect: 'released' },
  { name: 'huawei DCC host, drained', request: hw('dcc-host', uuid('7', 2)), expect: 'released' },
  { name: 'huawei DCC host, mixed VMs', request: hw('dcc-host', uuid('7', 3)), expect: 'ReleaseBlocked' },
  { name: 'huawei DCC host, frozen', request: hw('dcc-host', uuid('7', 4)), expect: 'ReleaseBlocked' },
  { name: 'huawei DCC dry run (mixed)', request: hw('dcc-host', uuid('7', 3), { dryRun: true }), expect: 'dry-run' },
];

/** The short profile's releases (`npm test`): each provider, a refusal, a hand-over and a drain (a rack's dozen reads per attempt make it the slowest under faults: full profile only). */
export const SHORT_RELEASES = [
  'alibaba stopped pay-as-you-go',
  'alibaba deletion protection',
  'baidu postpaid',
  'baidu recycle bin, typed-in ID',
  'huawei node pay-per-use',
  'huawei DCC host, drained',
  'huawei DCC host, mixed VMs',
];

/** The release that waits for a backup, for the bad update payloads (a resource used by nothing else). */
export const WAITING_RELEASE: ReleaseRequest = hw('modelarts-node', uuid('d', 4), { backup: { required: true, confirmWithin: '10m' } });

/**
 * The malformed inputs aim at real, releasable resources used by nothing else, so that one let through would
 * show up as calls in the simulator's log (there must be none at all for these IDs).
 */
export const BAD_INPUT_TARGETS = ['i-bp1prepaidexpired04', 'i-stop0007', uuid('d', 5), uuid('7', 1)];

const A = { provider: 'alibaba', kind: 'ecs-instance', region: 'cn-hangzhou', resourceId: 'i-bp1prepaidexpired04', ...base };
const B = { provider: 'baidu', kind: 'bcc-instance', region: 'bj', resourceId: 'i-stop0007', ...base };
const H = { provider: 'huawei', kind: 'modelarts-node', region: 'cn-southwest-2', projectId: HUAWEI_PROJECT, resourceId: uuid('d', 5), ...base };
const D = { ...H, kind: 'dcc-host', resourceId: uuid('7', 1) };

const omit = (o: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));
const MB = 1024 * 1024;

export interface BadInput {
  name: string;
  /** The workflow's arguments (usually one). */
  args: unknown[];
}

const one = (name: string, input: unknown): BadInput => ({ name, args: [input] });

/** Malformed inputs sent through the raw path: each must end InvalidReleaseRequest, touching nothing. */
export function badInputs(): BadInput[] {
  const deep: Record<string, unknown> = {};
  let cursor = deep;
  for (let i = 0; i < 12; i++) cursor = cursor[`level${i}`] = {};
  return [
    // The shape of the arguments
    one('null', null),
    { name: 'no argument', args: [] },
    { name: 'two arguments', args: [A, { dryRun: true }] },
    { name: 'three arguments', args: [A, A, A] },
    one('an array', [A]),
    one('an empty array', []),
    one('a string', JSON.stringify(A)),
    one('a number', 42),
    one('a boolean', true),
    one('an empty object', {}),
    // provider / kind
    one('provider unknown', { ...A, provider: 'aws' }),
    one('provider a number', { ...A, provider: 1 }),
    one('provider upper case', { ...A, provider: 'ALIBABA' }),
    one('provider __proto__', { ...A, provider: '__proto__' }),
    one('provider missing', omit(A, 'provider')),
    one('kind of another provider', { ...A, kind: 'bcc-instance' }),
    one('kind unknown', { ...A, kind: 'vm' }),
    one('kind constructor', { ...A, kind: 'constructor' }),
    one('kind missing', omit(A, 'kind')),
    one('huawei kind on alibaba', { ...H, kind: 'ecs-instance' }),
    // region / projectId
    one('region missing', omit(B, 'region')),
    one('region of another provider', { ...B, region: 'cn-hangzhou' }),
    one('region upper case', { ...B, region: 'BJ' }),
    one('region 65 characters', { ...A, region: `cn-${'a'.repeat(62)}` }),
    one('region path traversal', { ...A, region: '../../etc/passwd' }),
    one('region a number', { ...A, region: 7 }),
    one('projectId missing (huawei)', omit(H, 'projectId')),
    one('projectId on alibaba', { ...A, projectId: HUAWEI_PROJECT }),
    one('projectId on baidu', { ...B, projectId: HUAWEI_PROJECT }),
    one('projectId upper case', { ...H, projectId: HUAWEI_PROJECT.toUpperCase() }),
    one('projectId 31 characters', { ...H, projectId: HUAWEI_PROJECT.slice(1) }),
    one('projectId path traversal', { ...H, projectId: '../../../../v1/dev-servers/xx' }),
    // resourceId, per provider
    one('resourceId missing', omit(A, 'resourceId')),
    one('resourceId null', { ...A, resourceId: null }),
    one('resourceId a number', { ...A, resourceId: 4 }),
    one('resourceId path traversal', { ...A, resourceId: '../i-bp1prepaidexpired04' }),
    one('resourceId CRLF header injection', { ...A, resourceId: 'i-bp1prepaidexpired04\r\nX-Injected: 1' }),
    one('resourceId NUL', { ...A, resourceId: 'i-bp1prepaidexpired04\u0000' }),
    one('resourceId upper case (alibaba)', { ...A, resourceId: 'i-BP1PREPAIDEXPIRED04' }),
    one('resourceId "i-" only', { ...A, resourceId: 'i-' }),
    one('resourceId 65 characters', { ...A, resourceId: `i-${'a'.repeat(63)}` }),
    one('resourceId 1 MB', { ...A, resourceId: `i-${'a'.repeat(MB)}` }),
    one('resourceId with a space', { ...B, resourceId: 'i-stop 0007' }),
    one('resourceId a UUID for baidu', { ...B, resourceId: uuid('d', 5) }),
    one('resourceId upper-case UUID (huawei)', { ...H, resourceId: uuid('d', 5).toUpperCase() }),
    one('resourceId alibaba-style for huawei', { ...H, resourceId: 'i-bp1prepaidexpired04' }),
    one('resourceId a UUID with braces (dcc)', { ...D, resourceId: `{${uuid('7', 1)}}` }),
    one('resourceId a list', { ...A, resourceId: ['i-bp1prepaidexpired04'] }),
    // requestedBy / ticket / reason
    one('requestedBy missing', omit(A, 'requestedBy')),
    one('requestedBy empty', { ...A, requestedBy: '' }),
    one('requestedBy 257 characters', { ...A, requestedBy: 'a'.repeat(257) }),
    one('requestedBy bell character', { ...A, requestedBy: 'alice\u0007@platform' }),
    one('requestedBy an object', { ...A, requestedBy: { name: 'alice' } }),
    one('ticket missing', omit(B, 'ticket')),
    one('ticket 129 characters', { ...B, ticket: 'T'.repeat(129) }),
    one('ticket CRLF', { ...B, ticket: 'CHG-1\r\nSet-Cookie: x=1' }),
    one('ticket tab', { ...B, ticket: 'CHG\t1' }),
    one('reason 2001 characters', { ...H, reason: 'r'.repeat(2001) }),
    one('reason ANSI escape', { ...H, reason: 'done \u001b[31mRED\u001b[0m' }),
    one('reason 1 MB', { ...H, reason: 'r'.repeat(MB) }),
    one('reason a number', { ...H, reason: 12 }),
    // dryRun / backup
    one('dryRun a string', { ...A, dryRun: 'true' }),
    one('dryRun a number', { ...A, dryRun: 0 }),
    one('backup a string', { ...A, backup: 'no' }),
    one('backup an array', { ...A, backup: [] }),
    one('backup.required a string', { ...A, backup: { required: 'false' } }),
    one('backup.confirmWithin 0s', { ...A, backup: { required: true, confirmWithin: '0s' } }),
    one('backup.confirmWithin 31d', { ...A, backup: { required: true, confirmWithin: '31d' } }),
    one('backup.confirmWithin words', { ...A, backup: { required: true, confirmWithin: '10 minutes' } }),
    one('backup.confirmWithin a number', { ...A, backup: { required: true, confirmWithin: -1 } }),
    one('backup unknown field', { ...A, backup: { required: false, skip: true } }),
    // options
    one('options a string', { ...A, options: 'keep' }),
    one('options.stopIfRunning a string', { ...A, options: { stopIfRunning: 'yes' } }),
    one('options.retainedDataDisks unknown value', { ...A, options: { retainedDataDisks: 'purge' } }),
    one('options.retainedSnapshots a boolean', { ...A, options: { retainedSnapshots: true } }),
    one('options.overrideProtectionTag a string', { ...A, options: { overrideProtectionTag: 'true' } }),
    one('options.approveOverrideWithin 0s', { ...A, options: { overrideProtectionTag: true, approveOverrideWithin: '0s' } }),
    one('options.waitGoneWithin 25h', { ...A, options: { waitGoneWithin: '25h' } }),
    one('options unknown field', { ...A, options: { force: true } }),
    // drain
    one('drain.deadline 8d', { ...D, drain: { deadline: '8d' } }),
    one('drain.failureBudget -1', { ...D, drain: { failureBudget: -1 } }),
    one('drain.failureBudget 10001', { ...D, drain: { failureBudget: 10001 } }),
    one('drain.failureBudget 1.5', { ...D, drain: { failureBudget: 1.5 } }),
    one('drain.failureBudget a string', { ...D, drain: { failureBudget: 'all' } }),
    one('drain unknown field', { ...D, drain: { deadline: '1h', parallel: 1000 } }),
    // unknown fields, prototype keys, size and depth
    one('unknown top-level field', { ...A, force: true }),
    one('__proto__ key', JSON.parse(`{"__proto__":{"dryRun":false,"admin":true},${JSON.stringify(A).slice(1)}`)),
    one('constructor key', { ...A, constructor: { prototype: { admin: true } } }),
    one('nested 13 levels deep', { ...A, options: deep }),
    one('input over 16 KiB', { ...A, padding: 'x'.repeat(20_000) }),
  ];
}

export interface BadUpdate {
  name: string;
  update: 'confirmBackup' | 'approveOverride' | 'cancel';
  args: unknown[];
}

const OK_CONFIRM = { confirmedBy: 'bob@platform', backupReference: 'snap-faults-1' };

/** Malformed payloads for the release waiting for its backup: each must be rejected, changing nothing. */
export function badUpdates(): BadUpdate[] {
  return [
    { name: 'confirmBackup null', update: 'confirmBackup', args: [null] },
    { name: 'confirmBackup no argument', update: 'confirmBackup', args: [] },
    { name: 'confirmBackup two arguments', update: 'confirmBackup', args: [OK_CONFIRM, OK_CONFIRM] },
    { name: 'confirmBackup an array', update: 'confirmBackup', args: [[OK_CONFIRM]] },
    { name: 'confirmBackup a string', update: 'confirmBackup', args: ['bob@platform'] },
    { name: 'confirmBackup confirmedBy a number', update: 'confirmBackup', args: [{ ...OK_CONFIRM, confirmedBy: 42 }] },
    { name: 'confirmBackup confirmedBy empty', update: 'confirmBackup', args: [{ ...OK_CONFIRM, confirmedBy: '' }] },
    { name: 'confirmBackup backupReference missing', update: 'confirmBackup', args: [{ confirmedBy: 'bob@platform' }] },
    { name: 'confirmBackup unknown field', update: 'confirmBackup', args: [{ ...OK_CONFIRM, approve: true }] },
    { name: 'confirmBackup CRLF in confirmedBy', update: 'confirmBackup', args: [{ ...OK_CONFIRM, confirmedBy: 'bob\r\nX-Admin: yes' }] },
    { name: 'confirmBackup confirmedBy 300 characters', update: 'confirmBackup', args: [{ ...OK_CONFIRM, confirmedBy: 'b'.repeat(300) }] },
    { name: 'confirmBackup 1 MB reference', update: 'confirmBackup', args: [{ ...OK_CONFIRM, backupReference: 's'.repeat(MB) }] },
    {
      name: 'confirmBackup __proto__ key',
      update: 'confirmBackup',
      args: [JSON.parse(`{"__proto__":{"x":1},${JSON.stringify(OK_CONFIRM).slice(1)}`)],
    },
    { name: 'approveOverride approvedBy a number', update: 'approveOverride', args: [{ approvedBy: 42 }] },
    { name: 'approveOverride empty object', update: 'approveOverride', args: [{}] },
    { name: 'approveOverride unknown field', update: 'approveOverride', args: [{ approvedBy: 'carol@security', role: 'admin' }] },
    { name: 'cancel reason missing', update: 'cancel', args: [{ by: 'alice@platform' }] },
    { name: 'cancel by a number', update: 'cancel', args: [{ by: 7, reason: 'x' }] },
    { name: 'cancel unknown field', update: 'cancel', args: [{ by: 'alice@platform', reason: 'x', force: true }] },
    { name: 'cancel a string', update: 'cancel', args: ['cancel'] },
    { name: 'cancel no argument', update: 'cancel', args: [] },
  ];
}
