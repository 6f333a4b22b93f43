import type { ErrorClass } from '../adapter';

/** How one Huawei error answer is treated. `alreadyDone`: a destructive call finds its work done. */
export interface HuaweiErrorVerdict {
  errorClass: ErrorClass;
  alreadyDone: boolean;
}

/**
 * Error codes with a known meaning, whatever HTTP status carries them (BSS business errors may come
 * with 200 or 400: unverified, so the status is not relied on for these).
 */
export const HUAWEI_ERROR_TABLE: Readonly<Record<string, { errorClass: ErrorClass; alreadyDone?: boolean; why: string }>> = {
  // Billing Center (BSS / CBC)
  'CBC.99003651': { errorClass: 'retryable', why: 'a transaction is in progress on the resource: retry later' },
  'CBC.0999': { errorClass: 'retryable', why: 'BSS internal error' },
  'CBC.3144': { errorClass: 'retryable', why: 'the resource has an order being processed' },
  'CBC.30050011': { errorClass: 'retryable', why: 'the resource is being unsubscribed or changed' },
  'CBC.99003656': { errorClass: 'final', why: 'the resource is frozen: it cannot be unsubscribed, only released' },
  'CBC.7281': { errorClass: 'final', why: 'the account is frozen' },
  'CBC.99003100': { errorClass: 'final', why: 'the resource is in a pending-payment order' },
  'CBC.0151': { errorClass: 'final', why: 'access denied' },
  'CBC.0100': { errorClass: 'final', why: 'invalid parameter (or an operation the rules refuse)' },
  'CBC.99003012': { errorClass: 'not-found', why: 'the resource does not exist' },
  'CBC.30050009': { errorClass: 'not-found', why: 'the resource does not exist or was deleted on expiry' },
  'CBC.30000067': { errorClass: 'not-found', alreadyDone: true, why: 'already unsubscribed: the work is done' },
  'CBC.3124': { errorClass: 'not-found', alreadyDone: true, why: 'resources have been unsubscribed from' },
  // ModelArts and EVS codes whose meaning the HTTP status does not carry (simulator-chosen codes: see docs/huawei.md)
  'ModelArts.7004': { errorClass: 'final', alreadyDone: true, why: 'the instance is already being deleted: an earlier delete was accepted' },
  'EVS.2024': { errorClass: 'retryable', why: 'the disk is still attached: its server is being removed' },
  // API Gateway, in front of every Huawei API
  'APIGW.0308': { errorClass: 'retryable', why: 'throttled by the API gateway' },
  'APIGW.0101': { errorClass: 'final', why: 'no such API (wrong endpoint or path): never read as "resource gone"' },
  'APIGW.0301': { errorClass: 'final', why: 'IAM authentication failed (wrong AK/SK or signature)' },
  'APIGW.0302': { errorClass: 'final', why: 'the IAM user is not authorized' },
  'APIGW.0303': { errorClass: 'final', why: 'app authentication failed' },
  'APIGW.0304': { errorClass: 'final', why: 'the app is not authorized' },
  'APIGW.0305': { errorClass: 'final', why: 'incorrect authentication information' },
  'APIGW.0306': { errorClass: 'final', why: 'API access denied' },
  'APIGW.0307': { errorClass: 'final', why: 'the token must be updated' },
};

/**
 * Classify one error answer. Order: the table; then any other API-gateway code (APIGW.*) by status,
 * where a 404 means "no such API", not "no such resource"; then the HTTP status: 429 and 5xx
 * retryable, 404 not-found, anything else (4xx, or a 2xx carrying an error code) final.
 */
export function classifyHuaweiError(code: string | undefined, httpStatus: number | undefined): HuaweiErrorVerdict {
  const known = code ? HUAWEI_ERROR_TABLE[code] : undefined;
  if (known) return { errorClass: known.errorClass, alreadyDone: known.alreadyDone ?? false };
  const status = httpStatus ?? 0;
  if (status === 429 || status >= 500) return { errorClass: 'retryable', alreadyDone: false };
  if (status === 404 && !code?.startsWith('APIGW.')) return { errorClass: 'not-found', alreadyDone: false };
  return { errorClass: 'final', alreadyDone: false };
}
