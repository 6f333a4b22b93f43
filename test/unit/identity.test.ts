// Self-declared identities: one person, one canonical form, whatever the case, spacing or Unicode form.
import { describe, expect, it } from 'vitest';
import { canonicalIdentity, identitySkeleton, sameIdentity } from '../../domain/identity';

describe('canonicalIdentity', () => {
  const cases: [string, string][] = [
    ['alice@platform', 'alice@platform'],
    ['Alice@Platform', 'alice@platform'],
    ['ALICE@PLATFORM', 'alice@platform'],
    ['  alice@platform  ', 'alice@platform'],
    ['\talice@platform\n', 'alice@platform'],
    ['mailto:alice@platform', 'alice@platform'],
    ['MAILTO:Alice@Platform', 'alice@platform'],
    ['  mailto: alice@platform', 'alice@platform'],
    ['mailto:mailto:alice@platform', 'alice@platform'],
    ['ａｌｉｃｅ＠ｐｌａｔｆｏｒｍ', 'alice@platform'], // full-width
    ['alice\u200b@platform', 'alice@platform'], // zero-width space
    ['\ufeffalice@platform', 'alice@platform'], // BOM
    ['al\u00adice@platform', 'alice@platform'], // soft hyphen
    ['alice\u202e@platform', 'alice@platform'], // bidi override
    ['Alice   Smith', 'alice smith'],
    ['Alice\u00a0Smith', 'alice smith'], // no-break space
    ['Alice\u3000Smith', 'alice smith'], // ideographic space
    ['Alice\t\nSmith', 'alice smith'],
    ['ﬁona', 'fiona'], // ligature
    ['Ⅻ-team', 'xii-team'], // compatibility numeral
    ['e\u0301mile', 'émile'], // decomposed é composes
    ['', ''],
    ['   ', ''],
    ['mailto:', ''],
  ];
  it.each(cases)('%j → %j', (input, expected) => expect(canonicalIdentity(input)).toBe(expected));

  it('is idempotent', () => {
    for (const [input] of cases) expect(canonicalIdentity(canonicalIdentity(input))).toBe(canonicalIdentity(input));
  });

  it('never throws, even for what is not a string', () => {
    for (const v of [
      undefined,
      null,
      42,
      {},
      [],
      Symbol('x'),
      {
        toString: () => {
          throw new Error('no');
        },
      },
    ])
      expect(() => canonicalIdentity(v as unknown as string)).not.toThrow();
  });
});

describe('identitySkeleton', () => {
  it.each([
    ['аlice@platform', 'alice@platform'], // Cyrillic а
    ['alicе@platform', 'alice@platform'], // Cyrillic е
    ['ÀLICE@platform', 'alice@platform'],
    ['straße', 'strasse'],
    ['ıvan', 'ivan'], // dotless i
    ['İvan', 'ivan'], // dotted capital I
  ])('%j → %j', (input, expected) => expect(identitySkeleton(input)).toBe(expected));
});

describe('sameIdentity', () => {
  const same: [string, string][] = [
    ['alice@platform', 'alice@platform'],
    ['alice@platform', 'Alice@Platform'],
    ['alice@platform', ' alice@platform '],
    ['alice@platform', 'mailto:ALICE@platform'],
    ['alice@platform', 'ａｌｉｃｅ@platform'],
    ['alice@platform', 'alice\u200d@platform'],
    ['alice@platform', 'аlice@platform'],
    ['alice smith', 'Alice  Smith'],
    ['emile', 'Émile'],
    ['', 'alice'],
    ['alice', '   '],
  ];
  it.each(same)('%j and %j are the same person', (a, b) => {
    expect(sameIdentity(a, b)).toBe(true);
    expect(sameIdentity(b, a)).toBe(true);
  });

  const different: [string, string][] = [
    ['alice@platform', 'bob@platform'],
    ['alice@platform', 'alice@platform2'],
    ['alice@platform', 'alice.platform'],
    ['alice smith', 'alicesmith'],
    ['alice', 'alicia'],
  ];
  it.each(different)('%j and %j are different people', (a, b) => {
    expect(sameIdentity(a, b)).toBe(false);
    expect(sameIdentity(b, a)).toBe(false);
  });
});
