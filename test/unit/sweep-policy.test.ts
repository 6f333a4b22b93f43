import { describe, expect, it } from 'vitest';
import type { InventoryItem } from '../../domain/inventory';
import {
  excluded,
  matches,
  ownerBy,
  validateOptOut,
  validateSweepPolicy,
  webhookFor,
  type SweepPolicy,
  type ValidSweepPolicy,
} from '../../domain/sweep-policy';

const base: SweepPolicy = {
  name: 'shanghai-fleet',
  provider: 'alibaba',
  region: 'cn-shanghai',
  match: { expired: true, decommissionTagPassed: {} },
  mode: 'report',
  requestedBy: 'alice@platform',
  ticket: 'CHG-2001',
};

function valid(p: Partial<SweepPolicy> = {}): ValidSweepPolicy {
  const v = validateSweepPolicy({ ...base, ...p });
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  return v.policy;
}

const item = (over: Partial<InventoryItem> = {}): InventoryItem => ({
  provider: 'alibaba',
  kind: 'ecs-instance',
  region: 'cn-shanghai',
  resourceId: 'i-uf6fleet01',
  status: 'stopped',
  rawStatus: 'Stopped',
  chargingMode: 'pay-per-use',
  expired: false,
  tags: {},
  ...over,
});

const NOW = new Date('2026-03-01T12:00:00Z');

describe('validateSweepPolicy', () => {
  it('fills in the defaults', () => {
    expect(valid()).toMatchObject({
      match: { expired: true, decommissionTag: 'decommission-date', ids: [], tags: [] },
      excludeIds: [],
      gracePeriodMs: 72 * 3_600_000,
      reason: '',
      release: {},
    });
    expect(valid({ mode: 'execute', notify: { webhooks: { 'ml-team': 'https://hooks.example/ml' } } }).notify).toEqual({
      ownerTag: 'owner',
      webhooks: { 'ml-team': 'https://hooks.example/ml' },
    });
  });

  it.each<[string, unknown, string]>([
    ['an unknown field', { ...base, extra: 1 }, 'extra'],
    ['an unknown nested field', { ...base, match: { expired: true, everything: true } }, 'match.everything'],
    ['an empty match', { ...base, match: {} }, 'match'],
    ['expired: false', { ...base, match: { expired: false } }, 'match.expired'],
    ['a bad name', { ...base, name: 'Fleet A' }, 'name'],
    ['a region of another provider', { ...base, region: 'bj' }, 'region'],
    ['a kind of another provider', { ...base, kinds: ['bcc-instance'] }, 'kinds[0]'],
    ['a projectId for alibaba', { ...base, projectId: '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e' }, 'projectId'],
    ['huawei without projectId', { ...base, provider: 'huawei', region: 'cn-southwest-2' }, 'projectId'],
    ['execute without notify', { ...base, mode: 'execute' }, 'notify'],
    ['a template without {owner}', { ...base, notify: { urlTemplate: 'https://hooks.example/x' } }, 'notify.urlTemplate'],
    ['a webhook that is not http(s)', { ...base, notify: { webhooks: { a: 'file:///etc/passwd' } } }, 'notify.webhooks.a'],
    ['a grace period out of bounds', { ...base, gracePeriod: '31d' }, 'gracePeriod'],
    ['a grace period that is no duration', { ...base, gracePeriod: '3 days' }, 'gracePeriod'],
    ['too many ids', { ...base, match: { ids: Array.from({ length: 201 }, (_, i) => `i-${i}`) } }, 'match.ids'],
    ['a bad id', { ...base, exclude: { ids: ['i-ok', 'bad id'] } }, 'exclude.ids[1]'],
    ['a control character', { ...base, ticket: 'CHG\n1' }, 'ticket'],
    ['the protection override', { ...base, release: { options: { overrideProtectionTag: true } } }, 'release.options.overrideProtectionTag'],
    ['a bad failure budget', { ...base, release: { drain: { failureBudget: -1 } } }, 'release.drain.failureBudget'],
    ['a huge input', { ...base, reason: 'x'.repeat(40_000) }, '(input)'],
    ['not an object', 'sweep everything', '(input)'],
  ])('refuses %s, naming the field', (_, input, field) => {
    const v = validateSweepPolicy(input);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.errors.map((e) => e.field)).toContain(field);
  });

  it('never throws, whatever the input', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => ['name'],
        get: () => {
          throw new Error('boom');
        },
      },
    );
    for (const input of [null, undefined, 42, [], hostile, { ...base, match: { tags: [null] } }, { ...base, notify: { webhooks: [] } }]) {
      expect(() => validateSweepPolicy(input)).not.toThrow();
      expect(validateSweepPolicy(input).ok).toBe(false);
    }
  });
});

describe('matches: OR of expired / decommissionTagPassed / ids, AND the tag selector', () => {
  const policy = valid({ match: { expired: true, decommissionTagPassed: {}, ids: ['i-listed'], tags: [{ key: 'env', value: 'test' }] } });
  it.each<[string, Partial<InventoryItem>, string[]]>([
    ['an expired subscription', { expired: true, expiresAt: '2026-01-01T00:00:00Z', tags: { env: 'test' } }, ['subscription expired (2026-01-01T00:00:00Z)']],
    ['a decommission date passed (date only, UTC)', { tags: { env: 'test', 'decommission-date': '2026-03-01' } }, ['decommission-date 2026-03-01 has passed']],
    ['the tag key in another case', { tags: { env: 'test', 'Decommission-Date': '2025-12-31' } }, ['decommission-date 2025-12-31 has passed']],
    ['a future decommission date', { tags: { env: 'test', 'decommission-date': '2026-03-02' } }, []],
    ['an unreadable decommission date', { tags: { env: 'test', 'decommission-date': 'soon' } }, []],
    ['a listed id', { resourceId: 'i-listed', tags: { env: 'test' } }, ['listed in match.ids']],
    ['several criteria at once', { resourceId: 'i-listed', expired: true, tags: { env: 'test' } }, ['subscription expired', 'listed in match.ids']],
    ['a match outside the selector', { expired: true, tags: { env: 'prod' } }, []],
    ['the selector alone is not enough here', { tags: { env: 'test' } }, []],
  ])('%s', (_, over, reasons) => {
    expect(matches(item(over), policy, NOW)).toEqual(reasons);
  });

  it('a selector alone selects everything carrying it; kinds narrow', () => {
    const tagsOnly = valid({ match: { tags: [{ key: 'team', value: 'x' }] } });
    expect(matches(item({ tags: { team: 'x' } }), tagsOnly, NOW)).toEqual(['tagged team=x']);
    expect(matches(item({ tags: { team: 'y' } }), tagsOnly, NOW)).toEqual([]);
    const huawei = valid({
      provider: 'huawei',
      region: 'cn-southwest-2',
      projectId: '0b5c1f8e6a00d3e02f2cc00a5c3b2f1e',
      kinds: ['dcc-host'],
      match: { expired: true },
    });
    expect(matches(item({ provider: 'huawei', kind: 'modelarts-node', expired: true }), huawei, NOW)).toEqual([]);
    expect(matches(item({ provider: 'huawei', kind: 'dcc-host', expired: true }), huawei, NOW)).toHaveLength(1);
  });
});

describe('excluded: protection (any spelling), opt-out tag (fails closed), exclude.ids', () => {
  const policy = valid({ exclude: { ids: ['i-keep'] } });
  it.each<[string, Record<string, string>, RegExp | undefined]>([
    ['release-protection=true', { 'release-protection': 'true' }, /protected/],
    ['Release_Protection=yes', { Release_Protection: 'yes' }, /protected/],
    ['full-width key, empty value', { 'ｒｅｌｅａｓｅ－ｐｒｏｔｅｃｔｉｏｎ': '' }, /protected/],
    ['release-protection=false', { 'release-protection': 'false' }, undefined],
    ['decommission-opt-out=true', { 'decommission-opt-out': 'true' }, /opted out/],
    ['Decommission_Opt_Out empty', { Decommission_Opt_Out: '' }, /opted out/],
    ['decommission-opt-out=later (anything)', { 'decommission-opt-out': 'later' }, /opted out/],
    ['decommission-opt-out=No', { 'decommission-opt-out': ' No ' }, undefined],
    ['decommission-opt-out=false', { 'decommission-opt-out': 'false' }, undefined],
    ['decommission-opt-out=0 (not a documented off value)', { 'decommission-opt-out': '0' }, /opted out/],
  ])('%s', (_, tags, reason) => {
    const why = excluded(item({ tags }), policy);
    if (reason) expect(why.join('; ')).toMatch(reason);
    else expect(why).toEqual([]);
  });

  it('tags that cannot be read protect; exclude.ids excludes', () => {
    expect(excluded(item({ tags: null as unknown as Record<string, string> }), policy).join()).toMatch(/protected/);
    expect(excluded(item({ resourceId: 'i-keep' }), policy)).toEqual(['listed in exclude.ids']);
  });
});

describe('owners, webhooks and opt-out updates', () => {
  it('finds the owner by the policy tag and its webhook: own entry, template, fallback', () => {
    const notify = { ownerTag: 'team', webhooks: { ml: 'https://h/ml' }, urlTemplate: 'https://h/t/{owner}', fallback: 'https://h/all' };
    expect(ownerBy(item({ tags: { Team: ' ml ' } }), 'team')).toBe('ml');
    expect(ownerBy(item({ tags: { team: '' } }), 'team')).toBeUndefined();
    expect(webhookFor(notify, 'ml')).toBe('https://h/ml');
    expect(webhookFor(notify, 'web team')).toBe('https://h/t/web%20team');
    expect(webhookFor(notify, undefined)).toBe('https://h/all');
    expect(webhookFor({ ownerTag: 'owner', webhooks: {} }, 'ml')).toBeUndefined();
  });

  it('validates optOut payloads', () => {
    expect(validateOptOut([{ resourceId: 'i-a', by: 'bob', reason: 'still needed' }])).toEqual({
      ok: true,
      value: { resourceId: 'i-a', by: 'bob', reason: 'still needed' },
    });
    expect(validateOptOut([{ resourceId: 'i-a', by: 'bob' }])).toMatchObject({ ok: false, message: expect.stringMatching(/reason/) as string });
    expect(validateOptOut([{ resourceId: 'i a', by: 'bob', reason: 'x', more: 1 }])).toMatchObject({
      ok: false,
      message: expect.stringMatching(/more: unknown field.*resourceId/) as string,
    });
    expect(validateOptOut([{}, {}])).toMatchObject({ ok: false });
  });
});
