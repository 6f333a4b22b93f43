import { ProviderError, ProviderUnreachableError, type ErrorClass } from '../adapter';
import type { RequestLimiter } from '../rate-limit';
import { admit } from '../send-fence';

const PROVIDER = 'alibaba';

/** The resource named in the call does not exist. (InvalidAccessKeyId.NotFound is an auth failure, not this.) */
const NOT_FOUND = new Set(['InvalidInstanceId.NotFound', 'InvalidDiskId.NotFound', 'InvalidSnapshotId.NotFound']);

/** Worth the same call again later: flow control, a conflicting operation, creation or a dependency in progress. */
const RETRYABLE = new Set([
  'Throttling',
  'Throttling.User',
  'Throttling.Api',
  'ServiceUnavailable',
  'InternalError',
  'UnknownError',
  'OperationConflict',
  'LastTokenProcessing',
  'IncorrectInstanceStatus.Initializing',
  'DependencyViolation.RouteEntry',
  'DependencyViolation.SLBConfiguring',
]);

/**
 * How the workflow treats an Alibaba error answer. Everything a retry cannot fix is final: charge type,
 * deletion protection, security lock, a wrong instance status (the workflow must stop it first), bad
 * parameters, signature and key errors. Unknown codes: 5xx retryable, anything else final.
 */
export function classifyAlibabaError(code: string, httpStatus: number | undefined): ErrorClass {
  if (NOT_FOUND.has(code)) return 'not-found';
  if (RETRYABLE.has(code) || code.startsWith('Throttling')) return 'retryable';
  if (httpStatus !== undefined && httpStatus >= 500) return 'retryable';
  return 'final';
}

/** The fields of an SDK error that carry the provider's answer (ClientError / ServerError / ThrottlingError). */
interface SdkAnswerError {
  statusCode: number;
  code?: string;
  data: { Code?: unknown; Message?: unknown; RequestId?: unknown };
}

function isAnswer(err: unknown): err is SdkAnswerError {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as Partial<SdkAnswerError>;
  return typeof e.statusCode === 'number' && typeof e.data === 'object' && e.data !== null && typeof e.data.Code === 'string';
}

/** Strip anything that could be a credential from a transport error's text. */
function redact(text: string): string {
  return text.replace(/(Signature|Authorization|AccessKeySecret)[=:]\s*[^\s&,]+/gi, '$1=[redacted]');
}

/**
 * Turn whatever the SDK threw into a ProviderError (the provider answered) or a ProviderUnreachableError
 * (no answer we can read: connection refused/reset, timeout, dropped, or a body that is not Alibaba's).
 * Only chosen fields are copied: the SDK error itself holds the request, never rethrown.
 */
export function toProviderFailure(err: unknown): ProviderError | ProviderUnreachableError {
  if (isAnswer(err)) {
    const code = err.data.Code as string;
    const message = typeof err.data.Message === 'string' ? err.data.Message : code;
    const requestId = typeof err.data.RequestId === 'string' ? err.data.RequestId : undefined;
    return new ProviderError(PROVIDER, code, message, classifyAlibabaError(code, err.statusCode), err.statusCode, requestId);
  }
  const e = err as { name?: unknown; code?: unknown; message?: unknown };
  const what = [e.name, e.code].filter((x) => typeof x === 'string' && x).join(' ');
  return new ProviderUnreachableError(PROVIDER, redact(`${what}${what ? ': ' : ''}${typeof e.message === 'string' ? e.message : String(err)}`));
}

/**
 * Run one SDK call (one request: the SDK has no retries configured) once the provider's request limit and the send fence let it go;
 * its failure becomes a ProviderError or ProviderUnreachableError. The limiter's own refusal is passed on as it is.
 */
export async function sdkCall<T>(limiter: RequestLimiter, fn: () => Promise<T>): Promise<T> {
  await admit(limiter);
  try {
    return await fn();
  } catch (err) {
    throw toProviderFailure(err);
  }
}
