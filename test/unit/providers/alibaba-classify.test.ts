import { describe, expect, it } from 'vitest';
import { classifyAlibabaError } from '../../../providers/alibaba';
import { toProviderFailure } from '../../../providers/alibaba/errors';
import { ProviderError, ProviderUnreachableError } from '../../../providers/adapter';

describe('classifyAlibabaError', () => {
  it.each([
    ['Throttling', 400, 'retryable'],
    ['Throttling.User', 400, 'retryable'],
    ['Throttling.Api', 400, 'retryable'],
    ['ServiceUnavailable', 503, 'retryable'],
    ['InternalError', 500, 'retryable'],
    ['OperationConflict', 403, 'retryable'],
    ['IncorrectInstanceStatus.Initializing', 403, 'retryable'],
    ['DependencyViolation.RouteEntry', 400, 'retryable'],
    ['DependencyViolation.SLBConfiguring', 400, 'retryable'],
    ['SomethingNew', 502, 'retryable'],
    ['ChargeTypeViolation', 403, 'final'],
    ['InvalidOperation.DeletionProtection', 400, 'final'],
    ['InstanceLockedForSecurity', 403, 'final'],
    ['IncorrectInstanceStatus', 403, 'final'],
    ['InvalidParameter', 400, 'final'],
    ['MissingInstanceId', 400, 'final'],
    ['IncompleteSignature', 400, 'final'],
    ['SignatureDoesNotMatch', 400, 'final'],
    ['InvalidAccessKeyId.NotFound', 404, 'final'],
    ['InvalidTimeStamp.Expired', 400, 'final'],
    ['SignatureNonceUsed', 400, 'final'],
    ['IncorrectDiskStatus', 403, 'final'],
    ['SnapshotCreatedImage', 403, 'final'],
    ['SomethingNew', 409, 'final'],
    ['InvalidInstanceId.NotFound', 404, 'not-found'],
    ['InvalidDiskId.NotFound', 404, 'not-found'],
    ['InvalidSnapshotId.NotFound', 404, 'not-found'],
  ] as const)('%s (HTTP %i) is %s', (code, status, expected) => {
    expect(classifyAlibabaError(code, status)).toBe(expected);
  });
});

describe('toProviderFailure', () => {
  it('keeps the answer of an SDK error and nothing else', () => {
    const sdkError = Object.assign(new Error('code: 403, denied request id: R-1'), {
      statusCode: 403,
      code: 'ChargeTypeViolation',
      data: { Code: 'ChargeTypeViolation', Message: 'denied', RequestId: 'R-1', statusCode: 403 },
      lastRequest: { headers: { Authorization: 'ACS3-HMAC-SHA256 Credential=ak,Signature=abc' } },
    });
    const err = toProviderFailure(sdkError);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).toJSON()).toEqual({
      provider: 'alibaba',
      code: 'ChargeTypeViolation',
      message: 'alibaba ChargeTypeViolation (HTTP 403): denied',
      errorClass: 'final',
      httpStatus: 403,
      requestId: 'R-1',
    });
    expect(JSON.stringify(err)).not.toContain('Signature=');
  });

  it('treats anything without a provider answer as unreachable, redacting credentials', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(toProviderFailure(reset)).toBeInstanceOf(ProviderUnreachableError);
    const odd = toProviderFailure(new Error('failed: Authorization: ACS3 Signature=deadbeef'));
    expect(odd.message).not.toContain('deadbeef');
    expect(toProviderFailure(new SyntaxError('Unexpected token < in JSON'))).toBeInstanceOf(ProviderUnreachableError);
  });
});
