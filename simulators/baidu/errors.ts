import { simFail, type SimError } from '../core/types';

/**
 * Baidu AI Cloud error codes the BCC simulator answers with. Sources: the BCE common error table
 * (AccessDenied … SignatureDoesNotMatch), the BCC API pages (Release Instance, Release CDS disk,
 * Set Instance Deletion Protection → NoSuchObject 404). Codes marked "unverified" are our choice
 * where the public documentation is silent; docs/baidu.md explains each.
 */
export const BAIDU_ERRORS = {
  // BCE common errors (public table, HTTP statuses as documented).
  AccessDenied: { httpStatus: 403, message: 'Access denied.' },
  InappropriateJSON: { httpStatus: 400, message: 'The JSON you provided was well-formed and valid, but not appropriate for this operation.' },
  InternalError: { httpStatus: 500, message: 'We encountered an internal error. Please try again.' },
  InvalidAccessKeyId: { httpStatus: 403, message: 'The Access Key ID you provided does not exist in our records.' },
  InvalidHTTPAuthHeader: { httpStatus: 400, message: 'The HTTP authorization header is invalid. Consult the service documentation for details.' },
  InvalidURI: { httpStatus: 400, message: 'Could not parse the specified URI.' },
  MalformedJSON: { httpStatus: 400, message: 'The JSON you provided was not well-formed.' },
  InvalidVersion: { httpStatus: 404, message: 'The API version specified was invalid.' },
  RequestExpired: { httpStatus: 400, message: 'Request has expired.' },
  SignatureDoesNotMatch: {
    httpStatus: 400,
    message: 'The request signature we calculated does not match the signature you provided. Check your Secret Access Key and signing method.',
  },
  ServiceUnavailable: { httpStatus: 503, message: 'Service is unavailable. Please try again later.' },
  // BCC: missing resource (documented for the instance APIs).
  NoSuchObject: { httpStatus: 404, message: 'The specified object is not found or resource do not exist.' },
  // BCC Release Instance (seed 004).
  'Instance.ReleaseWhileCreating': { httpStatus: 403, message: 'Instance can not release during creating.' },
  'Instance.ReleaseNotPrepay': { httpStatus: 403, message: 'Instance can not release if prepay.' },
  // BCC Release CDS disk (documented).
  'Volume.DiskStatusCannotBeDeleted': { httpStatus: 409, message: 'Volume in current status can not be deleted.' },
  'Volume.SystemDiskCannotBeDeleted': { httpStatus: 403, message: 'System disk can not be deleted.' },
  // Unverified choices (see docs/baidu.md).
  'Instance.DeletionProtection': { httpStatus: 403, message: 'Instance is under deletion protection and can not be released.' },
  'Instance.InvalidStatus': { httpStatus: 409, message: 'The operation is not allowed in the current instance status.' },
  'Volume.PrepayVolumeCannotBeDeleted': {
    httpStatus: 403,
    message: 'A prepaid volume that has not expired can not be released with this API.',
  },
  TooManyRequests: { httpStatus: 429, message: 'Request rate exceeded the limit. Please try again later.' },
} as const satisfies Record<string, { httpStatus: number; message: string }>;

export type BaiduErrorCode = keyof typeof BAIDU_ERRORS;

/**
 * What BCC answers for a path it has no API on. Unverified (BCE documents no "no such API" code): an API
 * version BCC does not have is the documented InvalidVersion (404); any other path InvalidURI (400). Neither
 * is a resource-not-found (NoSuchObject), so no client can read an unknown path as "already gone".
 */
export function unknownApi(url: string): SimError {
  const version = /^\/v(\d+)\//.exec(url)?.[1];
  const code: BaiduErrorCode = version !== undefined && version !== '1' && version !== '2' ? 'InvalidVersion' : 'InvalidURI';
  return { code, httpStatus: BAIDU_ERRORS[code].httpStatus, message: BAIDU_ERRORS[code].message };
}

/** Throw a catalogued Baidu error from a route handler; `detail` replaces the default message. */
export function baiduFail(code: BaiduErrorCode, detail?: string): never {
  const known = BAIDU_ERRORS[code];
  return simFail(known.httpStatus, code, detail ?? known.message);
}
