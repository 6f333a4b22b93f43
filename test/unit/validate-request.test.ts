// The release input: every wrong field named at once, defaults filled in.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateReleaseArgs, validateReleaseRequest } from '../../activities/validate-request';

const examples = join(__dirname, '..', '..', 'examples');

describe('validateReleaseRequest', () => {
  it('names every wrong field', () => {
    const r = validateReleaseRequest({
      provider: 'aws',
      kind: 'vm',
      region: 'Hangzhou!',
      resourceId: 'a b',
      backup: { confirmWithin: 'soon' },
      surprise: true,
    });
    expect(r.ok).toBe(false);
    const fields = !r.ok ? r.errors.map((e) => e.field) : [];
    expect(fields).toEqual(expect.arrayContaining(['provider', 'kind', 'region', 'resourceId', 'requestedBy', 'ticket', 'backup.confirmWithin', 'surprise']));
  });

  it('checks fields against each other', () => {
    const r = validateReleaseRequest({ provider: 'huawei', kind: 'ecs-instance', region: 'cn-north-4', resourceId: 'x', requestedBy: 'a', ticket: 't' });
    expect(!r.ok && r.errors).toEqual([
      { field: 'kind', message: 'kind ecs-instance belongs to provider alibaba, not huawei' },
      { field: 'projectId', message: 'projectId is required for Huawei resources' },
    ]);
  });

  it('rejects what is not an object', () => {
    expect(validateReleaseRequest('release i-123').ok).toBe(false);
    expect(validateReleaseRequest(null).ok).toBe(false);
  });

  it('fills the defaults: backup required within 24h, nothing deleted beyond what the provider deletes', () => {
    const r = validateReleaseRequest({ provider: 'alibaba', kind: 'ecs-instance', region: 'cn-hangzhou', resourceId: 'i-1', requestedBy: 'a', ticket: 't' });
    expect(r.ok && r.request).toMatchObject({
      dryRun: false,
      backup: { required: true, confirmWithinMs: 86_400_000 },
      options: { stopIfRunning: false, retainedDataDisks: 'keep', retainedSnapshots: 'keep', overrideProtectionTag: false },
      drain: { deadlineMs: 7_200_000, failureBudget: 0 },
    });
  });

  it.each(readdirSync(examples).filter((f) => f.endsWith('.json')))('accepts the README example %s, which the README shows verbatim', (file) => {
    const text = readFileSync(join(examples, file), 'utf8').trim();
    expect(validateReleaseRequest(JSON.parse(text)).ok).toBe(true);
    expect(readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8')).toContain(text);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Formats and bounds of every field, and a catalogue of hostile inputs: none gets through, none throws.

const HUAWEI_PROJECT = '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e';
const alibaba = {
  provider: 'alibaba',
  kind: 'ecs-instance',
  region: 'cn-hangzhou',
  resourceId: 'i-bp1stoppedpaygo01',
  requestedBy: 'alice@platform',
  ticket: 'CHG-1',
};
const baidu = { provider: 'baidu', kind: 'bcc-instance', region: 'bj', resourceId: 'i-post0001', requestedBy: 'alice@platform', ticket: 'CHG-1' };
const huawei = (kind: string, resourceId: string) => ({
  provider: 'huawei',
  kind,
  region: 'cn-southwest-2',
  projectId: HUAWEI_PROJECT,
  resourceId,
  requestedBy: 'alice@platform',
  ticket: 'CHG-1',
});
const containing = (s: string): string => expect.stringContaining(s) as string;
const errorsOf = (input: unknown) => {
  const r = validateReleaseRequest(input);
  return r.ok ? [] : r.errors;
};
const fieldsOf = (input: unknown) => errorsOf(input).map((e) => e.field);

describe('resource ID formats, per provider and kind', () => {
  // Every ID the fixtures, the examples and the tests use.
  const valid: [string, Record<string, unknown>][] = [
    ...[
      'i-bp1stoppedpaygo01',
      'i-bp1runningpaygo02',
      'i-bp1prepaidactive03',
      'i-bp1prepaidexpired04',
      'i-bp1protected05',
      'i-bp1seclocked06',
      'i-bp1pending07',
      'i-bp1routeentry08',
      'i-bp1slbbackend09',
      'i-1',
      'i-bench000001',
    ].map((id): [string, Record<string, unknown>] => [id, { ...alibaba, resourceId: id }]),
    ...['i-post0001', 'i-prep0002', 'i-prep0003', 'i-crea0004', 'i-mixd0005', 'i-prot0006', 'i-stop0007', 'i-recy0008', 'i-AbCdEf12'].map(
      (id): [string, Record<string, unknown>] => [id, { ...baidu, resourceId: id }],
    ),
    ...Array.from({ length: 14 }, (_, i) => `d00000${String(i + 1).padStart(2, '0')}-0000-4000-8000-0000000000${String(i + 1).padStart(2, '0')}`).map(
      (id): [string, Record<string, unknown>] => [id, huawei('modelarts-node', id)],
    ),
    ['c0000001-0000-4000-8000-000000000001', huawei('modelarts-supernode', 'c0000001-0000-4000-8000-000000000001')],
    ['c0000002-0000-4000-8000-000000000002', huawei('modelarts-supernode', 'c0000002-0000-4000-8000-000000000002')],
    ['a0000001-0000-4000-8000-000000000001', huawei('modelarts-rack', 'a0000001-0000-4000-8000-000000000001')],
    ...[1, 2, 3, 4].map((n): [string, Record<string, unknown>] => [
      `7000000${n}-0000-4000-8000-00000000000${n}`,
      huawei('dcc-host', `7000000${n}-0000-4000-8000-00000000000${n}`),
    ]),
  ];
  it.each(valid)('%s is valid', (_id, input) => expect(errorsOf(input)).toEqual([]));

  const invalid: [string, Record<string, unknown>, string][] = [
    ['an Alibaba ID with capitals', { ...alibaba, resourceId: 'i-BP1abc' }, 'i- followed by lower-case letters and digits'],
    ['an Alibaba ID without i-', { ...alibaba, resourceId: 'bp1abc' }, 'i- followed by lower-case letters and digits'],
    ['an Alibaba ID with a dot', { ...alibaba, resourceId: 'i-bp1.abc' }, 'i- followed by lower-case letters and digits'],
    ['a Baidu ID without i-', { ...baidu, resourceId: 'post0001' }, 'i- followed by letters and digits'],
    ['a Baidu ID with an underscore', { ...baidu, resourceId: 'i-post_0001' }, 'i- followed by letters and digits'],
    ['a UUID for an Alibaba instance', { ...alibaba, resourceId: 'd0000001-0000-4000-8000-000000000001' }, 'i- followed by'],
    ['a Huawei node ID that is not a UUID', huawei('modelarts-node', 'i-post0001'), 'a UUID in lower-case hex'],
    ['a Huawei UUID in upper case', huawei('modelarts-node', 'D0000001-0000-4000-8000-000000000001'), 'a UUID in lower-case hex'],
    ['a Huawei UUID too short', huawei('modelarts-supernode', 'c0000001-0000-4000-8000-00000000001'), 'a UUID in lower-case hex'],
    ['a Huawei rack with a billing record ID', huawei('modelarts-rack', '1a0000001000040008000000'), 'a UUID in lower-case hex'],
    ['a DCC host ID with braces-less hex only', huawei('dcc-host', '70000001000040008000000000000001'), 'a UUID in lower-case hex'],
  ];
  it.each(invalid)('%s is a field error naming the format', (_name, input, expected) => {
    const errors = errorsOf(input);
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe('resourceId');
    expect(errors[0].message).toContain(expected);
  });

  it('a resourceId over 64 characters is refused with the workflow ID bound', () => {
    const [e] = errorsOf({ ...alibaba, resourceId: `i-${'a'.repeat(63)}` });
    expect(e).toEqual({ field: 'resourceId', message: containing('at most 64 characters') });
    expect(e?.message).toContain('1000-byte');
  });
});

describe('the canonical workflow IDs stay under the Temporal limit', () => {
  it('the longest valid region and resourceId still fit, with room to spare', async () => {
    const { MAX_WORKFLOW_ID_BYTES, TEMPORAL_MAX_WORKFLOW_ID_BYTES } = await import('../../domain/limits');
    const { releaseWorkflowId, dryRunWorkflowId } = await import('../../domain/request');
    expect(MAX_WORKFLOW_ID_BYTES).toBeLessThan(TEMPORAL_MAX_WORKFLOW_ID_BYTES);
    const region = `${'a'.repeat(11)}-${'b'.repeat(16)}-${'c'.repeat(16)}-${'d'.repeat(16)}-e`;
    expect(region).toHaveLength(64);
    const r = validateReleaseRequest({ ...alibaba, region, resourceId: `i-${'a'.repeat(62)}` });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Buffer.byteLength(dryRunWorkflowId(r.request.ref))).toBeLessThanOrEqual(MAX_WORKFLOW_ID_BYTES);
    expect(Buffer.byteLength(releaseWorkflowId(r.request.ref))).toBeLessThan(TEMPORAL_MAX_WORKFLOW_ID_BYTES);
  });
  it('a region over 64 characters is refused with the bound', () => {
    expect(errorsOf({ ...alibaba, region: `cn-${'a'.repeat(70)}` })).toEqual([{ field: 'region', message: containing('at most 64 characters') }]);
  });
});

describe('regions, per provider', () => {
  it.each([
    [alibaba, ['cn-hangzhou', 'ap-southeast-1', 'cn-shanghai-finance-1', 'us-west-1', 'cn-hongkong']],
    [baidu, ['bj', 'gz', 'su', 'hkg', 'fwh', 'bd']],
    [huawei('modelarts-node', 'd0000001-0000-4000-8000-000000000001'), ['cn-southwest-2', 'cn-north-4', 'ap-southeast-1', 'la-south-2', 'ru-northwest-2']],
  ])('%j accepts its real regions', (base, regions) => {
    for (const region of regions) expect(errorsOf({ ...base, region })).toEqual([]);
  });
  it.each([
    ['alibaba', { ...alibaba, region: 'bj' }],
    ['alibaba', { ...alibaba, region: 'cn--hangzhou' }],
    ['baidu', { ...baidu, region: 'cn-hangzhou' }],
    ['baidu', { ...baidu, region: 'b' }],
    ['huawei', { ...huawei('modelarts-node', 'd0000001-0000-4000-8000-000000000001'), region: 'cn-southwest' }],
    ['huawei', { ...huawei('modelarts-node', 'd0000001-0000-4000-8000-000000000001'), region: 'bj' }],
  ])('%s refuses a region of another shape', (provider, input) => {
    const errors = errorsOf(input);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toEqual({ field: 'region', message: containing(provider === 'baidu' ? 'Baidu' : provider === 'huawei' ? 'Huawei' : 'Alibaba') });
  });
});

describe('projectId', () => {
  const node = huawei('modelarts-node', 'd0000001-0000-4000-8000-000000000001');
  it.each([
    ['upper case', '0B5C1F8E6A00D3E02F2CC00A5C3B2F1E'],
    ['too short', '0b5c1f8e6a00d3e02f2cc00a5c3b2f1'],
    ['too long', '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e0'],
    ['not hex', '0b5c1f8e6a00d3e02f2cc00a5c3b2f1g'],
    ['path traversal', '../../../etc/passwd'],
    ['CRLF', '0b5c1f8e6a00d3e0\r\n2f2cc00a5c3b2f1e'],
    ['oversized', 'a'.repeat(5000)],
  ])('Huawei refuses a projectId that is %s', (_name, projectId) => {
    const errors = errorsOf({ ...node, projectId });
    expect(errors.map((e) => e.field)).toEqual(['projectId']);
  });
  it('names the format', () =>
    expect(errorsOf({ ...node, projectId: 'p' })).toEqual([{ field: 'projectId', message: containing('32 lower-case hex characters') }]));
  it('is trimmed, as before', () => {
    const r = validateReleaseRequest({ ...node, projectId: ` ${HUAWEI_PROJECT} ` });
    expect(r.ok && r.request.ref.projectId).toBe(HUAWEI_PROJECT);
  });
  it.each([alibaba, baidu])('is refused for %j, where it has no meaning', (base) => {
    expect(errorsOf({ ...base, projectId: HUAWEI_PROJECT })).toEqual([{ field: 'projectId', message: containing('Huawei resources only') }]);
  });
});

describe('text fields', () => {
  it.each([
    ['requestedBy', 256],
    ['ticket', 128],
  ])('%s: at most %i characters, no control characters', (field, max) => {
    expect(errorsOf({ ...alibaba, [field]: 'x'.repeat(max) })).toEqual([]);
    expect(errorsOf({ ...alibaba, [field]: 'x'.repeat(max + 1) })).toEqual([{ field, message: `${field} must be at most ${max} characters` }]);
    for (const bad of ['a\r\nb', 'a\nb', 'a\tb', 'a\u0000b', 'a\u001bb', 'a\u007fb', 'a\u0085b', 'a\u2028b', 'a\u202eb', 'a\u200bb', 'a\ud800b']) {
      expect(fieldsOf({ ...alibaba, [field]: bad })).toEqual([field]);
    }
  });
  it('reason: at most 2000 characters, newlines and tabs allowed, other control characters not', () => {
    expect(errorsOf({ ...alibaba, reason: 'x'.repeat(2000) })).toEqual([]);
    expect(errorsOf({ ...alibaba, reason: 'line one\nline two\tindented' })).toEqual([]);
    expect(errorsOf({ ...alibaba, reason: 'x'.repeat(2001) })).toEqual([{ field: 'reason', message: 'reason must be at most 2000 characters' }]);
    for (const bad of ['a\r\nb', 'a\u0000b', 'a\u001b[31mred', 'a\u202eb']) expect(fieldsOf({ ...alibaba, reason: bad })).toEqual(['reason']);
  });
  it('wrong types say what was expected', () => {
    expect(errorsOf({ ...alibaba, requestedBy: 42 })).toEqual([{ field: 'requestedBy', message: 'requestedBy must be a string, got a number' }]);
    expect(errorsOf({ ...alibaba, ticket: null })).toEqual([{ field: 'ticket', message: 'ticket must be a string, got null' }]);
  });
});

describe('durations and the failure budget', () => {
  it.each([
    ['1s', 1_000],
    ['2s', 2_000],
    ['1m', 60_000],
    ['60s', 60_000],
    ['30d', 30 * 86_400_000],
    ['720h', 30 * 86_400_000],
  ])('backup.confirmWithin %s is accepted', (confirmWithin, ms) => {
    const r = validateReleaseRequest({ ...alibaba, backup: { confirmWithin } });
    expect(r.ok && r.request.backup.confirmWithinMs).toBe(ms);
  });
  it.each(['99999d', '31d', '721h', '2592001s', '0m', '0s', '0d', '9'.repeat(400) + 'd'])('backup.confirmWithin %s is out of bounds', (confirmWithin) => {
    expect(errorsOf({ ...alibaba, backup: { confirmWithin } })).toEqual([
      { field: 'backup.confirmWithin', message: containing('backup.confirmWithin must be between 1s and 30d, got "') },
    ]);
  });
  it.each(['1.5h', '-1h', '1w', '1 h', ' 1h', '1H', '', 'PT1H'])('backup.confirmWithin %j is not a duration', (confirmWithin) => {
    expect(errorsOf({ ...alibaba, backup: { confirmWithin } })).toEqual([{ field: 'backup.confirmWithin', message: containing('must be a duration like') }]);
  });
  it('drain.deadline: 1s..7d', () => {
    const dcc = huawei('dcc-host', '70000002-0000-4000-8000-000000000002');
    expect(errorsOf({ ...dcc, drain: { deadline: '7d' } })).toEqual([]);
    expect(errorsOf({ ...dcc, drain: { deadline: '1s' } })).toEqual([]);
    expect(errorsOf({ ...dcc, drain: { deadline: '168h' } })).toEqual([]);
    for (const deadline of ['8d', '169h', '0s', '0m', '1000d']) {
      expect(errorsOf({ ...dcc, drain: { deadline } })).toEqual([
        { field: 'drain.deadline', message: `drain.deadline must be between 1s and 7d, got "${deadline}"` },
      ]);
    }
  });
  it('drain.failureBudget: a whole number 0..10000', () => {
    expect(errorsOf({ ...alibaba, drain: { failureBudget: 10_000 } })).toEqual([]);
    for (const failureBudget of [10_001, -1, 1.5, NaN, Infinity, -Infinity, '3', null, true]) {
      expect(fieldsOf({ ...alibaba, drain: { failureBudget } })).toEqual(['drain.failureBudget']);
    }
  });
});

describe('the argument list', () => {
  it('one argument: the same as validateReleaseRequest', () => {
    expect(validateReleaseArgs([alibaba])).toEqual(validateReleaseRequest(alibaba));
    expect(validateReleaseArgs([alibaba]).ok).toBe(true);
  });
  it.each([
    [[], 0],
    [[alibaba, alibaba], 2],
    [[alibaba, { dryRun: true }], 2],
    [[alibaba, undefined, undefined], 3],
  ])('refuses %j', (args, n) => {
    expect(validateReleaseArgs(args)).toEqual({ ok: false, errors: [{ field: '(input)', message: `expected exactly one argument, got ${n}` }] });
  });
  it('refuses what is not an argument list', () => {
    expect(validateReleaseArgs(alibaba as unknown as unknown[])).toEqual({
      ok: false,
      errors: [{ field: '(input)', message: containing('list of workflow arguments') }],
    });
  });
});

describe('whole-input bounds', () => {
  it.each([
    [null, 'got null'],
    [[alibaba], 'got an array'],
    ['release i-123', 'got a string'],
    [42, 'got a number'],
    [undefined, 'got a undefined'],
    [true, 'got a boolean'],
  ])('%j is not an object: one clear (input) error', (input, got) => {
    expect(errorsOf(input)).toEqual([{ field: '(input)', message: containing(got) }]);
    expect(errorsOf(input)[0].message).toContain('expected one JSON object');
  });
  it('more than 16 KiB of JSON is refused before anything else', () => {
    expect(errorsOf({ ...alibaba, reason: 'x'.repeat(17_000) })).toEqual([{ field: '(input)', message: 'the input must be at most 16384 bytes of JSON' }]);
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    expect(errorsOf({ ...alibaba, ...many })).toEqual([{ field: '(input)', message: 'the input must be at most 16384 bytes of JSON' }]);
  });
  it('multi-byte characters count as their UTF-8 bytes', () => {
    expect(errorsOf({ ...alibaba, reason: '漢'.repeat(1990) })).toEqual([]);
    expect(errorsOf({ ...alibaba, ticket: 'x', foo: '漢'.repeat(6000) })).toEqual([
      { field: '(input)', message: 'the input must be at most 16384 bytes of JSON' },
    ]);
  });
  it('unknown fields are refused at every level', () => {
    expect(fieldsOf({ ...alibaba, backup: { required: true, skip: true }, options: { force: true }, drain: { parallel: 4 }, extra: 1 })).toEqual(
      expect.arrayContaining(['backup.skip', 'options.force', 'drain.parallel', 'extra']),
    );
  });
});

// Every one of these must give field-level errors, never ok, never an exception.
const deep = (n: number): unknown => {
  let v: unknown = {};
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
};
const circular: Record<string, unknown> = { ...alibaba };
circular.self = circular;
const throwingGetter = Object.defineProperty({ ...alibaba }, 'ticket', {
  enumerable: true,
  get: () => {
    throw new Error('boom');
  },
});
const proxy = new Proxy(
  {},
  {
    ownKeys: () => {
      throw new Error('trap');
    },
    get: () => {
      throw new Error('trap');
    },
  },
);
const HOSTILE: [string, unknown][] = [
  ['provider as a number', { ...alibaba, provider: 1 }],
  ['provider in capitals', { ...alibaba, provider: 'Alibaba' }],
  ['kind as an array', { ...alibaba, kind: ['ecs-instance'] }],
  ['region as an object', { ...alibaba, region: { toString: 'cn-hangzhou' } }],
  ['region with path traversal', { ...alibaba, region: '../../etc' }],
  ['region with CRLF', { ...alibaba, region: 'cn-hangzhou\r\nX-Injected: 1' }],
  ['region with a slash', { ...alibaba, region: 'cn/hangzhou' }],
  ['resourceId missing', { ...alibaba, resourceId: undefined }],
  ['resourceId as a number', { ...alibaba, resourceId: 12345 }],
  ['resourceId with a slash', { ...alibaba, resourceId: 'i-abc/../../x' }],
  ['resourceId with path traversal', { ...alibaba, resourceId: '../i-abc' }],
  ['resourceId with CRLF', { ...alibaba, resourceId: 'i-abc\r\n' + 'x' }],
  ['resourceId with a NUL', { ...alibaba, resourceId: 'i-abc\u0000' + 'x' }],
  ['resourceId huge', { ...alibaba, resourceId: 'i-' + 'a'.repeat(10_000) }],
  ['resourceId a URL', { ...alibaba, resourceId: 'http://evil/i-1' }],
  ['resourceId with full-width letters', { ...alibaba, resourceId: 'i-ａｂｃ' }],
  ['requestedBy missing', { ...alibaba, requestedBy: undefined }],
  ['requestedBy blank', { ...alibaba, requestedBy: '   ' }],
  ['requestedBy with CRLF', { ...alibaba, requestedBy: 'alice\r\nadmin' }],
  ['requestedBy huge', { ...alibaba, requestedBy: 'a'.repeat(3000) }],
  ['requestedBy as an object', { ...alibaba, requestedBy: { name: 'alice' } }],
  ['ticket as a number', { ...alibaba, ticket: 1001 }],
  ['ticket with an ANSI escape', { ...alibaba, ticket: 'CHG-1\u001b[2J' }],
  ['reason as a number', { ...alibaba, reason: 5 }],
  ['dryRun as a string', { ...alibaba, dryRun: 'true' }],
  ['dryRun as a number', { ...alibaba, dryRun: 1 }],
  ['backup as a string', { ...alibaba, backup: 'yes' }],
  ['backup as an array', { ...alibaba, backup: [] }],
  ['backup as null', { ...alibaba, backup: null }],
  ['backup.required as a string', { ...alibaba, backup: { required: 'false' } }],
  ['backup.confirmWithin as a number', { ...alibaba, backup: { confirmWithin: 3600 } }],
  ['backup.confirmWithin 99999d', { ...alibaba, backup: { confirmWithin: '99999d' } }],
  ['options.overrideProtectionTag as a string', { ...alibaba, options: { overrideProtectionTag: 'true' } }],
  ['options.retainedDataDisks unknown', { ...alibaba, options: { retainedDataDisks: 'shred' } }],
  ['options with an unknown field', { ...alibaba, options: { force: true } }],
  ['drain.failureBudget NaN', { ...alibaba, drain: { failureBudget: NaN } }],
  ['drain.failureBudget Infinity', { ...alibaba, drain: { failureBudget: Infinity } }],
  ['drain.failureBudget as a string', { ...alibaba, drain: { failureBudget: '5' } }],
  ['drain.failureBudget huge', { ...alibaba, drain: { failureBudget: 1e12 } }],
  ['drain.deadline 1000d', { ...alibaba, drain: { deadline: '1000d' } }],
  ['a top-level unknown field', { ...alibaba, force: true }],
  [
    '__proto__ from JSON',
    JSON.parse(
      `{"provider":"alibaba","kind":"ecs-instance","region":"cn-hangzhou","resourceId":"i-1","requestedBy":"a","ticket":"t","__proto__":{"dryRun":true}}`,
    ),
  ],
  [
    'nested __proto__ from JSON',
    JSON.parse(
      `{"provider":"alibaba","kind":"ecs-instance","region":"cn-hangzhou","resourceId":"i-1","requestedBy":"a","ticket":"t","options":{"__proto__":{"overrideProtectionTag":true}}}`,
    ),
  ],
  ['constructor', { ...alibaba, constructor: { prototype: { polluted: true } } }],
  ['prototype', { ...alibaba, prototype: {} }],
  ['an inherited field', Object.assign(Object.create({ ticket: 'CHG-1' }), { ...alibaba, ticket: undefined })],
  [
    'a class instance',
    new (class Request {
      provider = 'alibaba';
    })(),
  ],
  ['a Date', new Date()],
  ['a Map', new Map(Object.entries(alibaba))],
  ['deeply nested', { ...alibaba, backup: deep(10_000) }],
  ['deeply nested at the top', deep(100_000)],
  ['circular', circular],
  ['a throwing getter', throwingGetter],
  ['a throwing proxy', proxy],
  ['a function', () => alibaba],
  ['a function as a field', { ...alibaba, reason: () => 'x' }],
  ['a symbol as a field', { ...alibaba, reason: Symbol('x') }],
  ['a bigint as a field', { ...alibaba, drain: { failureBudget: 5n } }],
  ['a huge array', { ...alibaba, tags: new Array(100_000).fill('x') }],
  ['an empty object', {}],
  ['numbers as strings', { ...alibaba, drain: { failureBudget: '0' }, dryRun: '0' }],
  ['Huawei without projectId', { ...huawei('modelarts-node', 'd0000001-0000-4000-8000-000000000001'), projectId: undefined }],
  ['Huawei with an empty projectId', { ...huawei('modelarts-node', 'd0000001-0000-4000-8000-000000000001'), projectId: '' }],
  ['Huawei projectId traversal', { ...huawei('modelarts-node', 'd0000001-0000-4000-8000-000000000001'), projectId: '../../0b5c1f8e6a00d3e02f2cc00a' }],
  ['Alibaba with a projectId', { ...alibaba, projectId: HUAWEI_PROJECT }],
  ['kind of another provider', { ...alibaba, kind: 'bcc-instance' }],
  ['a string', 'release everything'],
  ['a JSON string of a request', JSON.stringify(alibaba)],
  ['null', null],
  ['an array', [alibaba]],
  ['NaN', NaN],
];

describe('hostile inputs', () => {
  it('the catalogue is big enough', () => expect(HOSTILE.length).toBeGreaterThanOrEqual(40));
  it.each(HOSTILE)('%s: refused with field-level errors, no exception', (_name, input) => {
    let r: ReturnType<typeof validateReleaseRequest> | undefined;
    expect(() => (r = validateReleaseRequest(input))).not.toThrow();
    expect(r!.ok).toBe(false);
    if (r!.ok) return;
    expect(r!.errors.length).toBeGreaterThan(0);
    for (const e of r!.errors) {
      expect(typeof e.field).toBe('string');
      expect(e.field.length).toBeGreaterThan(0);
      expect(typeof e.message).toBe('string');
      expect(e.message.length).toBeLessThan(400);
      expect(e.message).not.toMatch(/[\r\n]/);
      expect(e.message.includes('\u0000')).toBe(false);
      expect(Object.keys(e).sort()).toEqual(['field', 'message']);
    }
    // Also through the argument list, alone and with a second argument.
    expect(validateReleaseArgs([input]).ok).toBe(false);
    expect(validateReleaseArgs([alibaba, input])).toEqual({ ok: false, errors: [{ field: '(input)', message: 'expected exactly one argument, got 2' }] });
  });
  it('prototype-pollution keys pollute nothing', () => {
    validateReleaseRequest(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(
      fieldsOf(
        JSON.parse(
          `{"provider":"alibaba","kind":"ecs-instance","region":"cn-hangzhou","resourceId":"i-1","requestedBy":"a","ticket":"t","__proto__":{"dryRun":true}}`,
        ),
      ),
    ).toEqual(['__proto__']);
  });
  it('an unknown field with a hostile name is shown printably', () => {
    const errors = errorsOf({ ...alibaba, 'x\r\ny': 1 });
    expect(errors).toHaveLength(1);
    expect(errors[0].field).not.toMatch(/[\r\n]/);
    expect(errors[0].message).toBe('unknown field');
  });
});
