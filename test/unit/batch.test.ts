// The batch's pure parts: input validation, the sliding window, the breaker, the safety cap, the bounded report.
import { describe, expect, it } from 'vitest';
import {
  MAX_FAILURES,
  MAX_LINES,
  breakerTripped,
  emptyTally,
  endingOfFailure,
  groupTargets,
  nextToStart,
  record,
  safetyCapReason,
  selectTargets,
  ungroupTargets,
  validateBatchInput,
  validateCarry,
  type BatchCarry,
  type BatchTarget,
} from '../../domain/batch';
import { releaseWorkflowId } from '../../domain/request';

const ali = (resourceId: string): BatchTarget => ({ provider: 'alibaba', kind: 'ecs-instance', region: 'cn-shanghai', resourceId });
const bcc = (resourceId: string): BatchTarget => ({ provider: 'baidu', kind: 'bcc-instance', region: 'bj', resourceId });
const valid = { requestedBy: 'alice@platform', ticket: 'CHG-1', targets: [ali('i-a1')] };

describe('validateBatchInput', () => {
  it('fills in the defaults', () => {
    const r = validateBatchInput(valid);
    expect(r).toMatchObject({
      ok: true,
      value: {
        dryRun: false,
        exclude: [],
        concurrency: { overall: 10, perProvider: 10 },
        safetyCap: { maxResources: 50, maxShareOfInventory: 0.5 },
        breaker: { maxFailureRate: 0.3, minFinished: 5 },
        historyLimit: 500,
      },
    });
  });

  it('accepts a selector and release options', () => {
    const r = validateBatchInput({
      requestedBy: 'a',
      ticket: 't',
      selector: {
        provider: 'huawei',
        region: 'cn-southwest-2',
        projectId: '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e',
        kinds: ['dcc-host'],
        tags: [{ key: 'env', value: 'test' }],
      },
      release: { backup: { required: true, confirmWithin: '30m' }, options: { retainedDataDisks: 'delete' }, drain: { deadline: '2h', failureBudget: 3 } },
      concurrency: { overall: 5, perProvider: 9 },
    });
    expect(r.ok && r.value.concurrency).toEqual({ overall: 5, perProvider: 5 });
  });

  const cases: [string, Record<string, unknown>, string][] = [
    ['not an object', [] as unknown as Record<string, unknown>, '(input)'],
    ['an unknown field', { ...valid, extra: 1 }, 'extra'],
    ['no requester', { ...valid, requestedBy: ' ' }, 'requestedBy'],
    ['a ticket too long', { ...valid, ticket: 'x'.repeat(129) }, 'ticket'],
    ['control characters', { ...valid, ticket: 'a\nb' }, 'ticket'],
    ['both targets and selector', { ...valid, selector: { provider: 'baidu', region: 'bj' } }, '(input)'],
    ['neither', { requestedBy: 'a', ticket: 't' }, '(input)'],
    ['no targets', { ...valid, targets: [] }, 'targets'],
    ['too many targets', { ...valid, targets: Array.from({ length: 10_001 }, () => ali('i-a1')) }, 'targets'],
    ['a kind of another provider', { ...valid, targets: [{ ...ali('i-a1'), kind: 'bcc-instance' }] }, 'targets[0].kind'],
    ['a malformed resource ID', { ...valid, targets: [ali('I-UPPER')] }, 'targets[0].resourceId'],
    ['a bad region', { ...valid, targets: [{ ...ali('i-a1'), region: 'Shanghai' }] }, 'targets[0].region'],
    ['a project ID outside Huawei', { ...valid, targets: [{ ...ali('i-a1'), projectId: '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e' }] }, 'targets[0].projectId'],
    [
      'Huawei without a project',
      { ...valid, targets: [{ provider: 'huawei', kind: 'dcc-host', region: 'cn-southwest-2', resourceId: 'd0000001-0000-4000-8000-000000000001' }] },
      'targets[0].projectId',
    ],
    ['an unknown provider in the selector', { requestedBy: 'a', ticket: 't', selector: { provider: 'aws', region: 'x' } }, 'selector.provider'],
    [
      'a tag condition without key',
      { requestedBy: 'a', ticket: 't', selector: { provider: 'baidu', region: 'bj', tags: [{ value: 'x' }] } },
      'selector.tags[0].key',
    ],
    ['concurrency over 100', { ...valid, concurrency: { overall: 101 } }, 'concurrency.overall'],
    ['a fractional concurrency', { ...valid, concurrency: { perProvider: 1.5 } }, 'concurrency.perProvider'],
    ['a share over 1', { ...valid, safetyCap: { maxShareOfInventory: 1.5 } }, 'safetyCap.maxShareOfInventory'],
    ['a negative failure rate', { ...valid, breaker: { maxFailureRate: -0.1 } }, 'breaker.maxFailureRate'],
    ['a history limit of 0', { ...valid, historyLimit: 0 }, 'historyLimit'],
    ['an unknown release option', { ...valid, release: { options: { force: true } } }, 'release.options.force'],
    ['a duration out of bounds', { ...valid, release: { backup: { confirmWithin: '31d' } } }, 'release.backup.confirmWithin'],
    ['a malformed duration', { ...valid, release: { options: { waitGoneWithin: '1 hour' } } }, 'release.options.waitGoneWithin'],
    ['a bad leftover policy', { ...valid, release: { options: { retainedSnapshots: 'purge' } } }, 'release.options.retainedSnapshots'],
    ['a failure budget too large', { ...valid, release: { drain: { failureBudget: 10_001 } } }, 'release.drain.failureBudget'],
    ['an exclude entry not text', { ...valid, exclude: [1] }, 'exclude[0]'],
    ['a non-boolean dryRun', { ...valid, dryRun: 'yes' }, 'dryRun'],
  ];
  it.each(cases)('refuses %s, naming the field', (_, input, field) => {
    const r = validateBatchInput(input);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.map((e) => e.field)).toContain(field);
  });

  it('names every wrong field at once', () => {
    const r = validateBatchInput({ requestedBy: '', ticket: '', targets: [ali('bad')] });
    expect(!r.ok && r.errors.map((e) => e.field)).toEqual(['requestedBy', 'ticket', 'targets[0].resourceId']);
  });

  it('lets a continued run have its targets carried', () => {
    expect(validateBatchInput({ requestedBy: 'a', ticket: 't' }, true).ok).toBe(true);
  });
});

describe('validateCarry', () => {
  const carry: BatchCarry = {
    runs: 1,
    pending: groupTargets([ali('i-a1')]),
    running: [bcc('i-b1')],
    total: 2,
    capPassed: true,
    approvals: {},
    paused: false,
    tally: emptyTally(),
  };
  it('accepts its own state and refuses a hand-made one', () => {
    expect(validateCarry(carry)).toEqual([]);
    expect(validateCarry({ ...carry, tally: { ...carry.tally, counts: 'x' } }).map((e) => e.field)).toEqual(['(carried) tally.counts']);
    expect(validateCarry({ ...carry, running: [ali('bad')] }).length).toBe(1);
    expect(validateCarry(null)).toHaveLength(1);
  });
});

describe('the window', () => {
  const pending = [ali('i-a1'), ali('i-a2'), bcc('i-b1'), ali('i-a3'), bcc('i-b2')];
  const cases: [string, Partial<Record<'alibaba' | 'baidu', number>>, { overall: number; perProvider: number }, number, number[]][] = [
    ['fills the overall window in order', {}, { overall: 3, perProvider: 3 }, Infinity, [0, 1, 2]],
    ['skips a full provider without blocking the others', {}, { overall: 10, perProvider: 1 }, Infinity, [0, 2]],
    ['counts what already runs', { alibaba: 1, baidu: 1 }, { overall: 3, perProvider: 2 }, Infinity, [0]],
    ['starts nothing when full', { alibaba: 2 }, { overall: 2, perProvider: 2 }, Infinity, []],
    ['stops at the history limit', {}, { overall: 10, perProvider: 10 }, 2, [0, 1]],
  ];
  it.each(cases)('%s', (_, running, concurrency, max, picks) => expect(nextToStart(pending, running, concurrency, max)).toEqual(picks));
});

describe('the breaker', () => {
  const breaker = { maxFailureRate: 0.3, minFinished: 5 };
  const cases: [string, Record<string, number>, boolean][] = [
    ['not before enough ended', { blocked: 4 }, false],
    ['trips past the rate', { released: 3, blocked: 2 }, true],
    ['holds at or under the rate', { released: 7, 'provider-refused': 3 }, false],
    ['ignores what was never started', { released: 4, 'succeeded-before': 10, 'not-started': 10, blocked: 1 }, false],
  ];
  it.each(cases)('%s', (_, counts, tripped) => expect(breakerTripped(counts, breaker)).toBe(tripped));
});

describe('the safety cap', () => {
  const cap = { maxResources: 50, maxShareOfInventory: 0.5 };
  it.each([
    [50, undefined, undefined],
    [51, undefined, /51 resources exceed the safety cap of 50/],
    [6, 10, /6 of 10 discovered resources \(60%\)/],
    [5, 10, undefined],
    [0, 0, undefined],
  ] as const)('%s resources of %s discovered', (count, inventory, reason) => {
    const r = safetyCapReason(count, inventory, cap);
    if (reason) expect(r).toMatch(reason);
    else expect(r).toBeUndefined();
  });
});

describe('targets and the report', () => {
  it('leaves out excluded and duplicate resources, keeping the order', () => {
    const t = selectTargets([ali('i-a1'), bcc('i-b1'), ali('i-a1'), ali('i-a2')], ['i-a2'], releaseWorkflowId);
    expect(t.map((x) => x.resourceId)).toEqual(['i-a1', 'i-b1']);
  });

  it('carries targets grouped, and gives them back as they were', () => {
    const t = [ali('i-a1'), ali('i-a2'), bcc('i-b1'), ali('i-a3')];
    expect(groupTargets(t)).toHaveLength(3);
    expect(ungroupTargets(groupTargets(t))).toEqual(t);
  });

  it('keeps lines and failures bounded, counting every one', () => {
    const tally = emptyTally();
    for (let i = 0; i < MAX_LINES + 10; i++) {
      record(tally, { resourceId: `i-${i}`, provider: 'alibaba', workflowId: `w${i}`, outcome: i % 2 ? 'released' : 'blocked', failureType: 'ReleaseBlocked' });
    }
    expect(tally.lines).toHaveLength(MAX_LINES);
    expect(tally.moreLines).toBe(10);
    expect(tally.failures).toHaveLength(MAX_FAILURES);
    expect(tally.failures.at(-1)!.resourceId).toBe(`i-${MAX_LINES + 8}`);
    expect(tally.counts).toEqual({ released: (MAX_LINES + 10) / 2, blocked: (MAX_LINES + 10) / 2 });
    expect(tally.failuresTotal).toBe((MAX_LINES + 10) / 2);
  });

  it('reads a release ending from its failure', () => {
    expect(endingOfFailure({ name: 'ApplicationFailure', type: 'ReleaseBlocked', message: 'no', details: [{ outcome: 'blocked' }] })).toEqual({
      outcome: 'blocked',
      failureType: 'ReleaseBlocked',
      message: 'no',
    });
    expect(endingOfFailure({ name: 'TerminatedFailure', message: 'terminated' })).toMatchObject({
      outcome: 'ended-abnormally',
      failureType: 'TerminatedFailure',
    });
    expect(endingOfFailure({ name: 'CancelledFailure', message: 'x' }).outcome).toBe('cancelled');
  });
});
