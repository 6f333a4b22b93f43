// Blockers every provider shares: provider protection, locks, freezes and the release-protection tag.
import { identitySkeleton } from '../identity';
import type { Blocker } from '../plan';
import { PROTECTION_TAG } from '../request';
import type { ReleaseAction, ResourceSnapshot } from '../resource';
import type { Options } from './kind-rules';

/**
 * The values of the protection tag that switch it off, compared after Unicode NFKC, trimming and lower-casing.
 * Nothing else does: `true`, `yes`, `1`, `on`, `TRUE`, an empty value, a typo, anything, protects.
 */
export const PROTECTION_OFF_VALUES: readonly string[] = ['false', 'off', 'no', '0'];

const fold = (s: string): string => s.normalize('NFKC').toLowerCase();

/**
 * Whether a tag key is a spelling of `release-protection`: compared after NFKC and lower-casing, with
 * diacritics and Cyrillic/Greek look-alikes folded to Latin letters (identitySkeleton), then every character
 * other than a Latin letter or a digit dropped. So `Release-Protection`, ` release_protection `,
 * `releaseProtection`, `RELEASE.PROTECTION`, `release protection`, `release--protection` and full-width or
 * look-alike forms all count.
 */
export function isProtectionKey(key: string): boolean {
  if (typeof key !== 'string') return false;
  return identitySkeleton(key).replace(/[^a-z0-9]/g, '') === 'releaseprotection';
}

/** Whether a protection tag's value protects: every value except the documented "off" set (a non-string protects). */
export function protectsValue(value: unknown): boolean {
  if (typeof value !== 'string') return true;
  return !PROTECTION_OFF_VALUES.includes(fold(value).trim());
}

/**
 * The first tag (in key order) that protects the resource, or undefined. Fails closed: tags the adapter could
 * not read as a plain key/value map protect the resource too.
 */
export function protectionTag(s: ResourceSnapshot): { key: string; value: string } | undefined {
  const tags: unknown = s.tags;
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) return { key: PROTECTION_TAG, value: '(tags unreadable)' };
  for (const key of Object.keys(tags).sort()) {
    const value = (tags as Record<string, unknown>)[key];
    if (isProtectionKey(key) && protectsValue(value)) return { key, value: typeof value === 'string' ? value : String(value) };
  }
  return undefined;
}

/**
 * The resource carries the release-protection tag: any spelling of the key (see isProtectionKey) with any
 * value but `false`, `off`, `no` or `0` (case-insensitive, trimmed). Several spellings: any one that protects wins.
 */
export const protectionTagged = (s: ResourceSnapshot): boolean => protectionTag(s) !== undefined;

/** Provider data shown in a message: printable, and short. */
function shown(s: string, max = 64): string {
  let out = '';
  for (const ch of s.length > max ? s.slice(0, max) : s) {
    const c = ch.codePointAt(0)!;
    out += c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ? '?' : ch;
  }
  return s.length > max ? `${out}…` : out;
}

export function commonBlockers(s: ResourceSnapshot, action: ReleaseAction, o: Options): Blocker[] {
  const out: Blocker[] = [];
  // Fails closed: only an explicit false means the provider's deletion protection is off.
  if ((s.deletionProtection as unknown) !== false) {
    out.push({
      code: 'deletion-protection',
      message:
        s.deletionProtection === true
          ? 'deletion protection is on: turn it off at the provider first'
          : 'the provider did not say whether deletion protection is off: treated as on',
    });
  }
  for (const lock of s.locks) {
    out.push(
      lock.reason === 'security'
        ? { code: 'security-lock', message: `the resource is locked for security${lock.detail ? ` (${lock.detail})` : ''}` }
        : { code: 'locked', message: `the resource is locked (${lock.reason}${lock.detail ? `: ${lock.detail}` : ''})` },
    );
  }
  if (s.frozen && action !== 'release') {
    out.push({
      code: 'frozen',
      message: `the resource or its account is frozen (${s.frozen.reason}): it cannot be ${action === 'unsubscribe' ? 'unsubscribed' : 'deleted'}`,
    });
  }
  const tag = protectionTag(s);
  if (tag && !o.overrideProtectionTag) {
    out.push({
      code: 'protection-tag',
      message: `tagged ${shown(tag.key)}=${shown(tag.value)}: set options.overrideProtectionTag and get it approved (only ${PROTECTION_TAG}=${PROTECTION_OFF_VALUES.join('|')} leaves a resource unprotected)`,
    });
  }
  return out;
}
