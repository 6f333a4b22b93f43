import type { ErrorClass } from '../adapter';

/** Codes meaning "this resource does not exist". A bare 404 is not enough: InvalidVersion and unknown routes are 404 too. */
const NOT_FOUND = new Set([
  'NoSuchObject',
  'InstanceNotFound',
  'InstanceNotExist',
  'InvalidInstanceId.NotFound',
  'Forbidden.InstanceNotFound',
  'Instance.NotFound',
  'Volume.NotFound',
  'Snapshot.NotFound',
]);

/** Worth another try later: throttling, server trouble, a resource still on its way (creating, detaching). */
const RETRYABLE = new Set([
  'TooManyRequests',
  'RequestLimitExceeded',
  'RequestRateLimitExceeded',
  'Throttling',
  'InternalError',
  'ServiceUnavailable',
  // The instance is still being created: it can be released once it is Running (terraform retries it too).
  'Instance.ReleaseWhileCreating',
  // A data disk detached by the instance release is briefly Detaching/InUse: the dependency is still being removed.
  'Volume.DiskStatusCannotBeDeleted',
]);

/**
 * How the caller treats a Baidu error answer. Final: the prepaid/unexpired rule, deletion
 * protection, system disk, authentication and signature, invalid parameters, and any other 4xx.
 */
export function classifyBaiduError(code: string, httpStatus: number | undefined): ErrorClass {
  if (NOT_FOUND.has(code)) return 'not-found';
  if (RETRYABLE.has(code) || /throttl|ratelimit|toomanyrequests/i.test(code)) return 'retryable';
  if (httpStatus === 429 || (httpStatus !== undefined && httpStatus >= 500)) return 'retryable';
  return 'final';
}
