// Who is who: the self-declared names of requesters, approvers and confirmers, compared so that letter case,
// whitespace, a `mailto:` prefix or a Unicode look-alike form cannot make one person look like two.
// Pure and deterministic (used inside the workflow's update validators): no Node APIs, no libraries.

// Invisible characters removed before comparing: zero-width spaces and joiners, bidi marks, embeddings,
// overrides and isolates, the word joiner and invisible operators, the BOM, soft hyphen, Mongolian vowel
// separator, Arabic letter mark, and every control character.
function dropInvisible(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const invisible =
      c <= 0x1f ||
      (c >= 0x7f && c <= 0x9f) ||
      c === 0x00ad ||
      c === 0x034f ||
      c === 0x061c ||
      c === 0x180e ||
      (c >= 0x200b && c <= 0x200f) ||
      (c >= 0x202a && c <= 0x202e) ||
      (c >= 0x2060 && c <= 0x206f) ||
      c === 0xfeff ||
      (c >= 0xfe00 && c <= 0xfe0f);
    // Keep tabs and line breaks as whitespace, so that "alice\tsmith" and "alice smith" compare equal.
    if (c === 0x09 || c === 0x0a || c === 0x0d) out += ' ';
    else if (!invisible) out += s[i];
  }
  return out;
}

/**
 * The canonical form of a self-declared identity: Unicode NFKC (full-width, ligature and compatibility forms
 * become their plain letters), invisible and control characters removed, trimmed, a leading `mailto:` (any
 * case) stripped, runs of whitespace collapsed to one space, and lower-cased (locale-independent).
 * `"  MAILTO:Alice@Platform "`, `"ａｌｉｃｅ@platform"` and `"alice\u200b@platform"` all become `"alice@platform"`.
 * Never throws, whatever it is given (a non-string is turned into a string first, or blank
 * when even that fails).
 */
export function canonicalIdentity(name: string): string {
  let s: string;
  try {
    s = typeof name === 'string' ? name : String(name);
  } catch {
    return ''; // an object whose toString throws: blank, which sameIdentity treats as "cannot tell apart"
  }
  s = dropInvisible(s.normalize('NFKC'));
  s = s.trim();
  // Strip one or more mailto: prefixes ("mailto: alice" too), then trim again.
  for (let m = /^mailto:\s*/i.exec(s); m; m = /^mailto:\s*/i.exec(s)) s = s.slice(m[0].length).trim();
  s = s.replace(/\s+/gu, ' ').toLowerCase();
  // Lower-casing can produce decomposed sequences (İ → i + U+0307): normalise once more.
  return s.normalize('NFKC');
}

// Common cross-script look-alikes of Latin letters (Cyrillic, Greek), after lower-casing.
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  ӏ: 'l',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  ı: 'i',
  ȷ: 'j',
  ß: 'ss',
  ſ: 's',
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ħ: 'h',
};

/**
 * A looser key than the canonical form, for telling people apart only: diacritics removed (é → e),
 * cross-script look-alikes mapped to Latin (Cyrillic а → a), `ß` → `ss`. Two identities with the same
 * skeleton are treated as the same person.
 */
export function identitySkeleton(name: string): string {
  const canonical = canonicalIdentity(name);
  let out = '';
  for (const ch of canonical.normalize('NFD')) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x0300 && c <= 0x036f) continue; // combining diacritical marks
    out += CONFUSABLES[ch] ?? ch;
  }
  return out.normalize('NFC');
}

/**
 * Whether two self-declared names designate the same person, for the rule "approved by someone other than
 * the requester": equal canonical forms, or equal skeletons (look-alikes, diacritics). Fails closed: when
 * either side is blank after canonicalisation, nobody can show they are different, and the answer is true.
 */
export function sameIdentity(a: string, b: string): boolean {
  const ca = canonicalIdentity(a);
  const cb = canonicalIdentity(b);
  if (ca === '' || cb === '') return true;
  return ca === cb || identitySkeleton(a) === identitySkeleton(b);
}
