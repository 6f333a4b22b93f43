// The update payloads (confirmBackup, approveOverride, cancel): validated inside the workflow, without zod.
import { describe, expect, it } from 'vitest';
import {
  formatFieldErrors,
  validateBackupConfirmation,
  validateCancelRequest,
  validateOverrideApproval,
  validateUpdateArgs,
  type PayloadResult,
} from '../../domain/update-payloads';

const fields = <T>(r: PayloadResult<T>) => (r.ok ? [] : r.errors.map((e) => e.field));

describe('validateBackupConfirmation', () => {
  it('accepts and cleans a confirmation', () => {
    expect(validateBackupConfirmation({ confirmedBy: ' bob@platform ', backupReference: 'snap-123', comment: ' checked it\nrestores fine ' })).toEqual({
      ok: true,
      value: { confirmedBy: 'bob@platform', backupReference: 'snap-123', comment: 'checked it\nrestores fine' },
    });
    expect(validateBackupConfirmation({ confirmedBy: 'bob', backupReference: 'vault://backups/2026/01' })).toEqual({
      ok: true,
      value: { confirmedBy: 'bob', backupReference: 'vault://backups/2026/01' },
    });
  });
  it('drops a blank comment', () => {
    expect(validateBackupConfirmation({ confirmedBy: 'bob', backupReference: 'snap-1', comment: '   ' })).toEqual({
      ok: true,
      value: { confirmedBy: 'bob', backupReference: 'snap-1' },
    });
  });
  it('a non-string confirmedBy is a field error, not a TypeError', () => {
    expect(validateBackupConfirmation({ confirmedBy: 42, backupReference: 'snap-1' })).toEqual({
      ok: false,
      errors: [{ field: 'confirmedBy', message: 'confirmedBy must be a string, got a number' }],
    });
  });
  it('names every wrong field at once', () => {
    expect(validateBackupConfirmation({ confirmedBy: '', comment: 7, extra: true })).toEqual({
      ok: false,
      errors: [
        { field: 'extra', message: 'unknown field' },
        { field: 'confirmedBy', message: 'confirmedBy must not be empty' },
        { field: 'backupReference', message: 'backupReference is required' },
        { field: 'comment', message: 'comment must be a string, got a number' },
      ],
    });
  });
  it('bounds: confirmedBy 256, backupReference 512, comment 2000', () => {
    expect(validateBackupConfirmation({ confirmedBy: 'x'.repeat(256), backupReference: 'r'.repeat(512), comment: 'c'.repeat(2000) }).ok).toBe(true);
    expect(fields(validateBackupConfirmation({ confirmedBy: 'x'.repeat(257), backupReference: 'r'.repeat(513), comment: 'c'.repeat(2001) }))).toEqual([
      'confirmedBy',
      'backupReference',
      'comment',
    ]);
  });
});

describe('validateOverrideApproval', () => {
  it('accepts an approval', () => {
    expect(validateOverrideApproval({ approvedBy: 'carol@platform' })).toEqual({ ok: true, value: { approvedBy: 'carol@platform' } });
    expect(validateOverrideApproval({ approvedBy: 'carol', comment: 'ok' })).toEqual({ ok: true, value: { approvedBy: 'carol', comment: 'ok' } });
  });
  it('refuses unknown fields, such as a self-declared requester', () => {
    expect(validateOverrideApproval({ approvedBy: 'carol', requestedBy: 'mallory' })).toEqual({
      ok: false,
      errors: [{ field: 'requestedBy', message: 'unknown field' }],
    });
  });
});

describe('validateCancelRequest', () => {
  it('accepts a cancel', () => {
    expect(validateCancelRequest({ by: 'dave', reason: 'wrong host\nsee CHG-9' })).toEqual({
      ok: true,
      value: { by: 'dave', reason: 'wrong host\nsee CHG-9' },
    });
  });
  it('needs a reason', () => {
    expect(validateCancelRequest({ by: 'dave' })).toEqual({ ok: false, errors: [{ field: 'reason', message: 'reason is required' }] });
    expect(validateCancelRequest({ by: 'dave', reason: ' \n ' })).toEqual({ ok: false, errors: [{ field: 'reason', message: 'reason must not be empty' }] });
  });
});

const validators = [
  ['confirmBackup', validateBackupConfirmation, { confirmedBy: 'bob', backupReference: 'snap-1' }, 'confirmedBy'],
  ['approveOverride', validateOverrideApproval, { approvedBy: 'carol' }, 'approvedBy'],
  ['cancel', validateCancelRequest, { by: 'dave', reason: 'no longer needed' }, 'by'],
] as const;

const deep = (n: number): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
};

describe.each(validators)('%s: hostile payloads', (_name, validate, good, who) => {
  it('the good payload passes', () => expect(validate(good).ok).toBe(true));

  const hostile: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['a string', 'bob'],
    ['a number', 42],
    ['NaN', NaN],
    ['an array', [good]],
    ['a function', () => good],
    ['a Date', new Date()],
    [
      'a class instance',
      new (class P {
        [who] = 'bob';
      })(),
    ],
    ['an inherited identity', Object.create(good)],
    ['an empty object', {}],
    ['an unknown field', { ...good, extra: 1 }],
    ['__proto__ from JSON', JSON.parse(`{"__proto__":{"x":1},${JSON.stringify(good).slice(1)}`)],
    ['constructor', { ...good, constructor: 'x' }],
    [`${who} missing`, { ...good, [who]: undefined }],
    [`${who} as a number`, { ...good, [who]: 7 }],
    [`${who} as an object`, { ...good, [who]: { name: 'bob' } }],
    [`${who} as an array`, { ...good, [who]: ['bob'] }],
    [`${who} as null`, { ...good, [who]: null }],
    [`${who} as true`, { ...good, [who]: true }],
    [`${who} empty`, { ...good, [who]: '' }],
    [`${who} whitespace`, { ...good, [who]: ' \t ' }],
    [`${who} with CRLF`, { ...good, [who]: 'bob\r\nadmin' }],
    [`${who} with a newline`, { ...good, [who]: 'bob\nadmin' }],
    [`${who} with a NUL`, { ...good, [who]: 'bob\u0000' + 'x' }],
    [`${who} with an ANSI escape`, { ...good, [who]: 'bob\u001b[2J' }],
    [`${who} with a zero-width space`, { ...good, [who]: 'b\u200bob' }],
    [`${who} with a bidi override`, { ...good, [who]: '\u202ebob' }],
    [`${who} with a lone surrogate`, { ...good, [who]: 'bob\ud800' }],
    [`${who} too long`, { ...good, [who]: 'b'.repeat(257) }],
    [`${who} huge`, { ...good, [who]: 'b'.repeat(1_000_000) }],
    ['a bigint', { ...good, [who]: 5n }],
    ['a symbol', { ...good, [who]: Symbol('bob') }],
    ['deeply nested', { ...good, extra: deep(10_000) }],
    [
      'a throwing getter',
      Object.defineProperty({ ...good }, who, {
        enumerable: true,
        get: () => {
          throw new Error('boom');
        },
      }),
    ],
    [
      'a throwing proxy',
      new Proxy(
        {},
        {
          ownKeys: () => {
            throw new Error('trap');
          },
          getPrototypeOf: () => {
            throw new Error('trap');
          },
        },
      ),
    ],
  ];
  it('the catalogue is big enough', () => expect(hostile.length).toBeGreaterThanOrEqual(30));
  it.each(hostile)('%s: field-level errors, no exception', (_label, input) => {
    let r: PayloadResult<unknown> | undefined;
    expect(() => (r = validate(input))).not.toThrow();
    expect(r!.ok).toBe(false);
    if (r!.ok) return;
    expect(r!.errors.length).toBeGreaterThan(0);
    for (const e of r!.errors) {
      expect(Object.keys(e).sort()).toEqual(['field', 'message']);
      expect(e.field.length).toBeGreaterThan(0);
      expect(e.message.length).toBeLessThan(300);
    }
    expect(formatFieldErrors(r!.errors)).not.toMatch(/[\r\n]/);
    expect(formatFieldErrors(r!.errors).includes('\u0000')).toBe(false);
  });
});

describe('validateUpdateArgs', () => {
  it('exactly one argument', () => {
    expect(validateUpdateArgs([{ approvedBy: 'carol' }], validateOverrideApproval)).toEqual({ ok: true, value: { approvedBy: 'carol' } });
    expect(validateUpdateArgs([], validateOverrideApproval)).toEqual({
      ok: false,
      errors: [{ field: '(input)', message: 'expected exactly one argument, got 0' }],
    });
    expect(validateUpdateArgs([{ approvedBy: 'carol' }, { approvedBy: 'mallory' }], validateOverrideApproval)).toEqual({
      ok: false,
      errors: [{ field: '(input)', message: 'expected exactly one argument, got 2' }],
    });
    expect(validateUpdateArgs('x', validateOverrideApproval).ok).toBe(false);
  });
});

describe('formatFieldErrors', () => {
  it('one line, field: message; field: message', () => {
    const r = validateBackupConfirmation({ confirmedBy: 1, surprise: true });
    expect(!r.ok && formatFieldErrors(r.errors)).toBe(
      'surprise: unknown field; confirmedBy: confirmedBy must be a string, got a number; backupReference: backupReference is required',
    );
    expect(formatFieldErrors([])).toBe('');
  });
  it('a hostile field name is shown printably', () => {
    const r = validateOverrideApproval({ approvedBy: 'carol', 'x\r\ny': 1 });
    expect(!r.ok && formatFieldErrors(r.errors)).toBe('"x\\u000d\\u000ay": unknown field');
  });
});
