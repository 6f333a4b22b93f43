import { simFail, type SimError } from '../core/types';

/**
 * Alibaba Cloud error codes the ECS simulator answers, with the real HTTP status and message.
 * Gateway codes (signature, timestamp, throttling) are shared by every RPC product; the others are
 * ECS's own (the DeleteInstance ones from the seed document).
 */
export const ALIBABA_ERRORS = {
  // Gateway: authentication and request form.
  'InvalidAccessKeyId.NotFound': { httpStatus: 404, message: 'Specified access key is not found.' },
  'InvalidAccessKeyId.Inactive': { httpStatus: 400, message: 'Specified access key is disabled.' },
  SignatureDoesNotMatch: { httpStatus: 400, message: 'Specified signature is not matched with our calculation.' },
  IncompleteSignature: { httpStatus: 400, message: 'The request signature does not conform to Aliyun standards.' },
  'InvalidTimeStamp.Expired': { httpStatus: 400, message: 'Specified time stamp or date value is expired.' },
  'InvalidTimeStamp.Format': { httpStatus: 400, message: 'Specified time stamp or date value is not well formatted.' },
  SignatureNonceUsed: { httpStatus: 400, message: 'Specified signature nonce was used already.' },
  InvalidSignatureMethod: { httpStatus: 400, message: 'Specified signature method is not supported.' },
  InvalidSignatureVersion: { httpStatus: 400, message: 'Specified signature version is not supported.' },
  'InvalidAction.NotFound': { httpStatus: 404, message: 'Specified api is not found, please check your url and method.' },
  InvalidVersion: { httpStatus: 400, message: 'Specified parameter Version is not valid.' },
  Throttling: { httpStatus: 400, message: 'Request was denied due to request throttling.' },
  'Throttling.User': { httpStatus: 400, message: 'Request was denied due to user flow control.' },
  InternalError: { httpStatus: 500, message: 'The request processing has failed due to some unknown error, exception or failure.' },
  ServiceUnavailable: { httpStatus: 503, message: 'The request has failed due to a temporary failure of the server.' },
  // ECS.
  InvalidParameter: { httpStatus: 400, message: 'The input parameter InstanceId is invalid.' },
  // DeleteInstances answers a passed dry run with DRYRUN.SUCCESS (SDK model of DeleteInstancesRequest.DryRun).
  'DRYRUN.SUCCESS': { httpStatus: 400, message: 'This request is a dryrun request with successful result.' },
  // ECS "How to ensure idempotence": a ClientToken in use with other parameters. HTTP status unverified.
  IdempotentParameterMismatch: { httpStatus: 400, message: 'The specified parameter ClientToken has been used with different request parameters.' },
  DryRunOperation: { httpStatus: 400, message: 'Request validation has been passed with DryRun flag set.' },
  'InvalidInstanceIds.Malformed': { httpStatus: 400, message: 'The specified parameter InstanceIds is not valid.' },
  'InvalidDiskIds.Malformed': { httpStatus: 400, message: 'The specified parameter DiskIds is not valid.' },
  'InvalidSnapshotIds.Malformed': { httpStatus: 400, message: 'The specified parameter SnapshotIds is not valid.' },
  'InvalidInstanceId.NotFound': { httpStatus: 404, message: 'The specified InstanceId does not exist.' },
  'InvalidDiskId.NotFound': { httpStatus: 404, message: 'The specified disk does not exist.' },
  'InvalidSnapshotId.NotFound': { httpStatus: 404, message: 'The specified SnapshotId does not exist.' },
  IncorrectInstanceStatus: { httpStatus: 403, message: 'The current status of the resource does not support this operation.' },
  'IncorrectInstanceStatus.Initializing': { httpStatus: 403, message: 'The specified instance status does not support this operation.' },
  ChargeTypeViolation: { httpStatus: 403, message: 'The operation is not permitted due to charge type of the instance.' },
  'InvalidOperation.DeletionProtection': { httpStatus: 400, message: 'The operation is not allowed due to "{0}" is protected by deletion protection.' },
  InstanceLockedForSecurity: { httpStatus: 403, message: 'The specified operation is denied as your instance is locked for security reasons.' },
  'DependencyViolation.RouteEntry': { httpStatus: 400, message: 'Specified instance is used by route entry.' },
  'DependencyViolation.SLBConfiguring': { httpStatus: 400, message: 'Specified operation is denied as your instance is using by another product.' },
  OperationConflict: { httpStatus: 403, message: 'The operation may conflict with other processes.' },
  IncorrectDiskStatus: { httpStatus: 403, message: 'The current disk status does not support this operation.' },
  SnapshotCreatedDisk: { httpStatus: 403, message: 'The snapshot has been used to create disk(s).' },
  SnapshotCreatedImage: { httpStatus: 403, message: 'The snapshot has been used to create user defined image(s).' },
} as const satisfies Record<string, { httpStatus: number; message: string }>;

export type AlibabaErrorCode = keyof typeof ALIBABA_ERRORS;

export function aliError(code: AlibabaErrorCode, message?: string): SimError {
  const known = ALIBABA_ERRORS[code];
  return { code, httpStatus: known.httpStatus, message: message ?? known.message };
}

/** Answer one of the catalogued errors (optionally with a more precise message). */
export function aliFail(code: AlibabaErrorCode, message?: string): never {
  const e = aliError(code, message);
  return simFail(e.httpStatus, e.code, e.message);
}

/** Alibaba's answer to a required parameter that is absent: `Missing{Name}`. */
export function missing(name: string): SimError {
  return { httpStatus: 400, code: `Missing${name}`, message: `${name} is mandatory for this action.` };
}

export function failMissing(name: string): never {
  const e = missing(name);
  return simFail(e.httpStatus, e.code, e.message);
}

export function invalidParameter(name: string): never {
  return aliFail('InvalidParameter', `The input parameter ${name} is invalid.`);
}
