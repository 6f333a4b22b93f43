// The release-protection tag fails closed: any spelling of the key, any value but an explicit "off".
import { describe, expect, it } from 'vitest';
import { planRelease } from '../../domain/plan';
import type { ResourceSnapshot } from '../../domain/resource';
import { options as planOptions } from './plan-fixtures';
import { isProtectionKey, PROTECTION_OFF_VALUES, protectionTagged, protectsValue } from '../../domain/rules/protection';

const options = (overrideProtectionTag = false) => planOptions({ overrideProtectionTag });

const snap = (tags: Record<string, string>, s: Partial<ResourceSnapshot> = {}): ResourceSnapshot => ({
  ref: { provider: 'alibaba', kind: 'ecs-instance', region: 'cn-hangzhou', resourceId: 'i-1' },
  exists: true,
  status: 'stopped',
  rawStatus: 'Stopped',
  charging: { mode: 'pay-per-use', expired: false },
  locks: [],
  deletionProtection: false,
  tags,
  disks: [],
  snapshots: [],
  readAt: '2026-01-01T00:00:00Z',
  ...s,
});

const blockerCodes = (s: ResourceSnapshot, override = false) => {
  const p = planRelease(s, options(override));
  return 'blockers' in p ? p.blockers.map((b) => b.code) : [];
};
const gates = (s: ResourceSnapshot, override = false) => {
  const p = planRelease(s, options(override));
  return 'gates' in p ? p.gates : [];
};

const KEYS = [
  'release-protection',
  'Release-Protection',
  'RELEASE-PROTECTION',
  ' release-protection',
  'release-protection ',
  '\trelease-protection\n',
  'release_protection',
  'Release_Protection',
  'releaseProtection',
  'ReleaseProtection',
  'releaseprotection',
  'release.protection',
  'release protection',
  'release--protection',
  'release-\u200bprotection',
  'ｒｅｌｅａｓｅ－ｐｒｏｔｅｃｔｉｏｎ', // full-width
  'r\u0435lease-protection', // Cyrillic е
  'rélease-protection',
];

const PROTECTING_VALUES = [
  'true',
  'True',
  'TRUE',
  ' true',
  'true ',
  'yes',
  'YES',
  'on',
  '1',
  'enabled',
  '',
  ' ',
  'ture',
  'falsey',
  'nope',
  'null',
  'undefined',
  'f',
  'n',
  'disabled?',
  '00',
  'false-ish',
  'no thanks',
];
const OFF_VALUES = ['false', 'False', 'FALSE', ' false ', 'off', 'OFF', 'Off', 'no', 'No', 'NO', '0', ' 0 ', '\tno\n', 'ｆａｌｓｅ'];

describe('isProtectionKey', () => {
  it.each(KEYS)('%j is a spelling of release-protection', (key) => expect(isProtectionKey(key)).toBe(true));
  it.each(['protection', 'release', 'release-protections', 'no-release-protection', 'env', 'owner', ''])('%j is not', (key) =>
    expect(isProtectionKey(key)).toBe(false),
  );
});

describe('protectsValue', () => {
  it('the off set is exactly false, off, no, 0', () => expect([...PROTECTION_OFF_VALUES]).toEqual(['false', 'off', 'no', '0']));
  it.each(PROTECTING_VALUES)('%j protects', (v) => expect(protectsValue(v)).toBe(true));
  it.each(OFF_VALUES)('%j is off', (v) => expect(protectsValue(v)).toBe(false));
  it.each([undefined, null, true, false, 0, 1, {}, []])('a non-string value (%j) protects', (v) => expect(protectsValue(v)).toBe(true));
});

describe('protectionTagged and planRelease, for every spelling of the key', () => {
  const protecting = KEYS.flatMap((k) => PROTECTING_VALUES.map((v) => [k, v] as const));
  it.each(protecting)('%j=%j blocks without an override and gates with one', (key, value) => {
    const s = snap({ env: 'prod', [key]: value });
    expect(protectionTagged(s)).toBe(true);
    expect(blockerCodes(s)).toEqual(['protection-tag']);
    expect(planRelease(s, options()).outcome).toBe('blocked');
    expect(blockerCodes(s, true)).toEqual([]);
    expect(gates(s, true)).toContain('protection-override');
  });

  const off = KEYS.flatMap((k) => OFF_VALUES.map((v) => [k, v] as const));
  it.each(off)('%j=%j does not protect', (key, value) => {
    const s = snap({ [key]: value });
    expect(protectionTagged(s)).toBe(false);
    expect(planRelease(s, options()).outcome).toBe('proceed');
    expect(gates(s, true)).not.toContain('protection-override');
  });

  it('an untagged resource is not protected', () => {
    expect(protectionTagged(snap({}))).toBe(false);
    expect(planRelease(snap({ env: 'prod', owner: 'ml-team' }), options()).outcome).toBe('proceed');
  });

  it('two spellings that disagree: the one that protects wins', () => {
    const s = snap({ 'release-protection': 'false', Release_Protection: 'yes' });
    expect(protectionTagged(s)).toBe(true);
    expect(blockerCodes(s)).toEqual(['protection-tag']);
    expect(protectionTagged(snap({ 'release-protection': 'false', releaseProtection: 'off' }))).toBe(false);
  });

  it('names the tag as found, printably', () => {
    const p = planRelease(snap({ 'release-protection': 'true' }), options());
    expect(p.outcome === 'blocked' && p.blockers[0].message).toContain('release-protection=true');
    const q = planRelease(snap({ 'Release-Protection': 'yes\r\ninjected' }), options());
    const message = q.outcome === 'blocked' ? q.blockers[0].message : '';
    expect(message).toContain('Release-Protection=yes??injected');
    expect(message).not.toMatch(/[\r\n]/);
  });

  it('tags the adapter could not read protect the resource (fail closed)', () => {
    for (const tags of [undefined, null, 'release-protection=true', []]) {
      const s = snap({}, { tags: tags as unknown as Record<string, string> });
      expect(protectionTagged(s)).toBe(true);
      expect(blockerCodes(s)).toEqual(['protection-tag']);
    }
  });
});

describe("the provider's deletion protection", () => {
  it('on blocks', () => expect(blockerCodes(snap({}, { deletionProtection: true }))).toEqual(['deletion-protection']));
  it('off (an explicit false) does not', () => expect(blockerCodes(snap({}, { deletionProtection: false }))).toEqual([]));
  it.each([undefined, null, 'false', 0, 'off'])('unknown (%j) reads as on, never as off', (v) => {
    const s = snap({}, { deletionProtection: v as unknown as boolean });
    const p = planRelease(s, options(true));
    expect(p.outcome).toBe('blocked');
    expect(blockerCodes(s, true)).toEqual(['deletion-protection']);
  });
  it('the protection override does not override it', () =>
    expect(blockerCodes(snap({ 'release-protection': 'true' }, { deletionProtection: true }), true)).toEqual(['deletion-protection']));
});
