import { describe, expect, it } from 'vitest';
import { classifyBaiduError } from '../../../providers/baidu';

describe('classifyBaiduError', () => {
  it.each([
    ['NoSuchObject', 404, 'not-found'],
    ['InstanceNotFound', 404, 'not-found'],
    ['InvalidInstanceId.NotFound', 404, 'not-found'],
    // A bare 404 is not proof of absence: a wrong API version or route is 404 too.
    ['InvalidVersion', 404, 'final'],
    ['NotFound', 404, 'final'],
    ['TooManyRequests', 429, 'retryable'],
    ['RequestLimitExceeded', 400, 'retryable'],
    ['SomethingNew', 429, 'retryable'],
    ['InternalError', 500, 'retryable'],
    ['ServiceUnavailable', 503, 'retryable'],
    ['SomethingNew', 502, 'retryable'],
    ['Instance.ReleaseWhileCreating', 403, 'retryable'],
    ['Volume.DiskStatusCannotBeDeleted', 409, 'retryable'],
    ['Instance.ReleaseNotPrepay', 403, 'final'],
    ['Instance.DeletionProtection', 403, 'final'],
    ['Volume.SystemDiskCannotBeDeleted', 403, 'final'],
    ['Volume.PrepayVolumeCannotBeDeleted', 403, 'final'],
    ['Instance.InvalidStatus', 409, 'final'],
    ['InvalidAccessKeyId', 403, 'final'],
    ['SignatureDoesNotMatch', 400, 'final'],
    ['RequestExpired', 400, 'final'],
    ['AccessDenied', 403, 'final'],
    ['InvalidHTTPAuthHeader', 400, 'final'],
    ['MalformedJSON', 400, 'final'],
    ['InappropriateJSON', 400, 'final'],
    ['SomethingNew', 400, 'final'],
  ] as const)('%s (HTTP %i) is %s', (code, status, expected) => {
    expect(classifyBaiduError(code, status)).toBe(expected);
  });
});
