import type { FastifyReply } from 'fastify';
import type { SimError } from '../core/types';

/**
 * Huawei error codes the simulator answers, with their HTTP status and default message.
 * Codes marked "chosen" could not be verified in public sources: see docs/huawei-simulator.md.
 */
export const HUAWEI_ERRORS = {
  // API Gateway (every Huawei endpoint sits behind it). Verified in the APIG / request-signing guides.
  'APIGW.0101': { httpStatus: 404, message: 'The API does not exist or has not been published in the environment.' },
  'APIGW.0301': { httpStatus: 401, message: 'Incorrect IAM authentication information.' },
  'APIGW.0302': { httpStatus: 403, message: 'The IAM user is not authorized to access the API.' },
  'APIGW.0308': { httpStatus: 429, message: 'The throttling threshold has been reached.' },
  // ModelArts: 6309 is the documented "instance does not exist"; 7003-7005 are chosen.
  'ModelArts.0104': { httpStatus: 400, message: 'Parameter error.' },
  'ModelArts.6309': { httpStatus: 404, message: 'The instance does not exist.' },
  'ModelArts.7003': { httpStatus: 400, message: 'The instance cannot be deleted in its billing mode and status.' },
  'ModelArts.7004': { httpStatus: 400, message: 'The instance is already being deleted.' },
  'ModelArts.7005': { httpStatus: 400, message: 'The instance belongs to a supernode; delete the supernode instead.' },
  'ModelArts.0001': { httpStatus: 500, message: 'Internal error.' },
  // Billing Center (providers.md); business errors answered with HTTP 400 (chosen, see docs).
  'CBC.0100': { httpStatus: 400, message: 'Invalid parameter.' },
  'CBC.0151': { httpStatus: 403, message: 'Access denied.' },
  'CBC.0999': { httpStatus: 500, message: 'Other errors.' },
  'CBC.7281': { httpStatus: 400, message: 'The account is frozen; resources cannot be unsubscribed.' },
  'CBC.30000067': { httpStatus: 400, message: 'The resource has already been unsubscribed.' },
  'CBC.99003012': { httpStatus: 400, message: 'The resource does not exist.' },
  'CBC.99003100': { httpStatus: 400, message: 'The resource has an order pending payment.' },
  'CBC.99003651': { httpStatus: 400, message: 'Another transaction is being processed for the resource. Try again later.' },
  'CBC.99003656': { httpStatus: 400, message: 'The resource is frozen and cannot be unsubscribed.' },
  // ECS: Ecs.0114 and Ecs.0005 are verified; Ecs.0000 is the generic request error.
  'Ecs.0000': { httpStatus: 400, message: 'Request error. Try again later or contact customer service.' },
  'Ecs.0005': { httpStatus: 400, message: 'request body is illegal.' },
  'Ecs.0114': { httpStatus: 404, message: 'Instance could not be found.' },
  // DeH and EVS not-found / in-use codes are chosen.
  'DEH.0404': { httpStatus: 404, message: 'The dedicated host does not exist.' },
  'EVS.5404': { httpStatus: 404, message: 'The resource does not exist.' },
  'EVS.2024': { httpStatus: 400, message: 'The disk is attached to a server.' },
} as const satisfies Record<string, { httpStatus: number; message: string }>;

export type HuaweiErrorCode = keyof typeof HUAWEI_ERRORS;

/** A Huawei error with its catalogue status; `message` overrides the default one. */
export function huaweiError(code: HuaweiErrorCode, message?: string): SimError {
  const known = HUAWEI_ERRORS[code];
  return { code, httpStatus: known.httpStatus, message: message ?? known.message };
}

/** Which service a path belongs to: decides the error shape and the code of generic errors. */
type Service = 'modelarts' | 'bss' | 'ecs' | 'deh' | 'evs' | 'dcc';

export function serviceOf(path: string): Service {
  if (path.startsWith('/v2/orders/') || path.startsWith('/v2/accounts/')) return 'bss';
  if (/^\/v1\/[^/]+\/dev-servers/.test(path)) return 'modelarts';
  if (path.startsWith('/v1.0/')) return 'deh';
  if (/^\/v1\/[^/]+\/dcc\//.test(path)) return 'dcc';
  if (/^\/v2\/[^/]+\/cloud(volumes|snapshots)/.test(path)) return 'evs';
  return 'ecs';
}

/**
 * The core raises provider-neutral codes (unknown route, unparsable body, crash); Huawei answers
 * those with the gateway's 404 or the owning service's parameter / internal error.
 */
function translateGeneric(error: SimError, service: Service): SimError {
  if (error.code === 'NotFound') return huaweiError('APIGW.0101');
  if (error.code === 'InvalidParameter') {
    if (service === 'bss') return huaweiError('CBC.0100', error.message);
    if (service === 'modelarts') return huaweiError('ModelArts.0104', error.message);
    return huaweiError('Ecs.0005');
  }
  if (error.code === 'InternalError') {
    if (service === 'bss') return huaweiError('CBC.0999');
    if (service === 'modelarts') return huaweiError('ModelArts.0001');
    return { httpStatus: 500, code: 'Ecs.0000', message: HUAWEI_ERRORS['Ecs.0000'].message };
  }
  return error;
}

/**
 * Render in the shape the real endpoint uses: the gateway answers `{error_code, error_msg, request_id}`;
 * ModelArts and BSS answer `{error_code, error_msg}`; ECS, DeH and EVS use the nested
 * `{error: {code, message}}` form. The request ID always travels in the `X-Request-Id` header.
 */
export function renderHuaweiError(reply: FastifyReply, raw: SimError, requestId: string): void {
  const service = serviceOf(reply.request.url);
  const error = translateGeneric(raw, service);
  let body: unknown;
  if (error.code.startsWith('APIGW.')) body = { error_code: error.code, error_msg: error.message, request_id: requestId };
  else if (/^(Ecs|DEH|EVS)\./.test(error.code)) body = { error: { code: error.code, message: error.message } };
  else body = { error_code: error.code, error_msg: error.message };
  void reply.code(error.httpStatus).header('X-Request-Id', requestId).header('Content-Type', 'application/json;charset=UTF-8').send(body);
}
