// Validators of the release's update payloads (confirmBackup, approveOverride, cancel). They run inside the
// workflow's update validators, so they are pure, deterministic and library-free (no zod). Each returns the
// cleaned payload (trimmed strings, blank optional comments dropped) or every field error at once; none throws.
import {
  checkText,
  describeType,
  excerpt,
  fieldName,
  isPlainObject,
  MAX_BACKUP_REFERENCE,
  MAX_COMMENT,
  MAX_IDENTITY,
  MAX_REASON,
  MAX_UPDATE_BYTES,
  measureJson,
  type FieldError,
  type TextRule,
  oneArgumentError,
} from './limits';

export type { FieldError };

/** The same shapes as workflows/messages.ts declares them (BackupConfirmation, OverrideApproval, CancelRequest). */
export interface BackupConfirmationPayload {
  confirmedBy: string;
  backupReference: string;
  comment?: string;
}
export interface OverrideApprovalPayload {
  approvedBy: string;
  comment?: string;
}
export interface CancelRequestPayload {
  by: string;
  reason: string;
}

export type PayloadResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

const IDENTITY: Readonly<TextRule> = { max: MAX_IDENTITY, required: true };
const COMMENT: Readonly<TextRule> = { max: MAX_COMMENT, required: false, multiline: true };

type Rules = Record<string, TextRule>;

function validatePayload<T>(what: string, input: unknown, rules: Rules): PayloadResult<T> {
  try {
    if (!isPlainObject(input)) {
      const got = typeof input === 'object' && input !== null && !Array.isArray(input) ? 'an object that is not plain JSON' : describeType(input);
      return { ok: false, errors: [{ field: '(input)', message: `expected a ${what} object {${Object.keys(rules).join(', ')}}, got ${got}` }] };
    }
    const size = measureJson(input, MAX_UPDATE_BYTES);
    if (!size.ok)
      return { ok: false, errors: [{ field: size.field, message: size.field === '(input)' ? size.message.replace('the input', `a ${what}`) : size.message }] };
    const errors: FieldError[] = [];
    for (const key of Object.keys(input)) {
      if (!Object.prototype.hasOwnProperty.call(rules, key)) errors.push({ field: fieldName(key), message: 'unknown field' });
    }
    const value: Record<string, string> = {};
    for (const [field, rule] of Object.entries(rules)) {
      const raw = Object.prototype.hasOwnProperty.call(input, field) ? input[field] : undefined;
      const checked = checkText(field, raw, rule);
      if (!checked.ok) errors.push(checked.error);
      else if (checked.value !== undefined) value[field] = checked.value;
    }
    if (errors.length > 0) return { ok: false, errors };
    return { ok: true, value: value as T };
  } catch (err) {
    return { ok: false, errors: [{ field: '(input)', message: `the ${what} could not be read (${excerpt(err instanceof Error ? err.message : err, 80)})` }] };
  }
}

/** confirmBackup: `{ confirmedBy, backupReference, comment? }`. */
export function validateBackupConfirmation(input: unknown): PayloadResult<BackupConfirmationPayload> {
  return validatePayload('backup confirmation', input, {
    confirmedBy: IDENTITY,
    backupReference: { max: MAX_BACKUP_REFERENCE, required: true },
    comment: COMMENT,
  });
}

/** approveOverride: `{ approvedBy, comment? }`. Whether approvedBy is the requester is the workflow's check (sameIdentity). */
export function validateOverrideApproval(input: unknown): PayloadResult<OverrideApprovalPayload> {
  return validatePayload('override approval', input, { approvedBy: IDENTITY, comment: COMMENT });
}

/** cancel: `{ by, reason }`. */
export function validateCancelRequest(input: unknown): PayloadResult<CancelRequestPayload> {
  return validatePayload('cancel request', input, { by: IDENTITY, reason: { max: MAX_REASON, required: true, multiline: true } });
}

/**
 * An update handler's raw argument list: exactly one payload, validated by `validate`. For
 * `setHandler(update, handler, { validator: (...args) => ... })`, where a second argument must not be ignored.
 */
export function validateUpdateArgs<T>(args: unknown, validate: (input: unknown) => PayloadResult<T>): PayloadResult<T> {
  const error = oneArgumentError(args, 'update');
  return error ? { ok: false, errors: [error] } : validate((args as unknown[])[0]);
}

/** Every error on one line, for the message of the error an update validator throws: `field: message; field: message`. */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join('; ');
}
