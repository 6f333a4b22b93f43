import type { FastifyRequest } from 'fastify';
import { rawBody } from '../core/sim-server';
import type { SimError } from '../core/types';
import { huaweiError } from './errors';
import { isRouted, params } from './routing';
import { formatSdkDate, parseAuthorization, parseSdkDate, SIGNATURE_WINDOW_MS, signatureMatches } from './signing';
import type { HuaweiState } from './state';

const iamError = (detail: string) => huaweiError('APIGW.0301', `Incorrect IAM authentication information: ${detail}`);

/** An AK in an error message is shortened: enough to recognise it, not to reuse it. */
const maskAk = (ak: string) => `${ak.slice(0, 4)}******`;

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * What APIG checks before a Huawei service sees a request: an SDK-HMAC-SHA256 signature by a known AK,
 * an X-Sdk-Date within 15 minutes of the server clock, and the credential's scope — X-Project-Id for
 * project-scoped paths (one of the AK's projects, and the path's project), X-Domain-Id for the global
 * Billing Center (the AK's account).
 */
export function authenticateHuawei(req: FastifyRequest, state: HuaweiState, now: () => number = Date.now): SimError | null {
  if (!isRouted(req)) return null;
  const auth = parseAuthorization(header(req, 'authorization'));
  if (!auth) return iamError('the request carries no valid SDK-HMAC-SHA256 Authorization header');
  const sdkDate = header(req, 'x-sdk-date');
  if (!auth.signedHeaders.map((h) => h.toLowerCase()).includes('x-sdk-date')) return iamError('x-sdk-date must be a signed header');
  const signedAt = parseSdkDate(sdkDate);
  if (signedAt === null) return iamError('x-sdk-date must look like 20240101T000000Z');
  const serverTime = now();
  if (Math.abs(serverTime - signedAt) > SIGNATURE_WINDOW_MS) {
    return iamError(`signature expired, signature time:${sdkDate},server time:${formatSdkDate(serverTime)}`);
  }
  const key = state.accessKeys.get(auth.accessKeyId);
  if (!key) return iamError(`Get secretKey failed,ak:${maskAk(auth.accessKeyId)},err:ak not exist`);
  const signed = { method: req.method, rawUrl: req.raw.url ?? req.url, headers: req.headers, body: rawBody(req) };
  if (!signatureMatches(signed, auth, key.secretAccessKey, sdkDate!)) return iamError('verify aksk signature fail');

  const pathProject = params(req).project_id;
  if (pathProject !== undefined) {
    const projectHeader = header(req, 'x-project-id');
    if (!projectHeader || !key.projectIds.includes(projectHeader)) {
      return iamError("X-Project-Id must name a project of the access key's account");
    }
    if (projectHeader !== pathProject) {
      return huaweiError('APIGW.0302', `The IAM user is not authorized to access the API: the path's project ${pathProject} is not the X-Project-Id project.`);
    }
  } else if (header(req, 'x-domain-id') !== key.domainId) {
    return iamError("X-Domain-Id must name the access key's account (a global service needs domain credentials)");
  }
  return null;
}
