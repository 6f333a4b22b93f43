import { randomUUID } from 'node:crypto';
import type { ProviderSim, SimContext } from '../core/types';
import { verifyBceAuth } from './auth';
import { BAIDU_ERRORS, unknownApi } from './errors';
import { parseBaiduSection } from './fixture';
import { baiduRoutes } from './routes';
import { BaiduStore } from './state';

/**
 * Baidu AI Cloud BCC simulator: instance read/release (DELETE, related-release POST, prepaid early
 * release, recycle bin), stop, CDS volumes, snapshots and custom images, behind bce-auth-v1.
 * Fixture format, rules and error-code choices: docs/baidu.md.
 */
export function createBaiduSim(ctx: SimContext): ProviderSim {
  const store = new BaiduStore(ctx);
  const routes = baiduRoutes(store);
  return {
    name: 'baidu',
    seed: (section) => store.seed(parseBaiduSection(section)),
    snapshot: () => store.snapshot(),
    routes: (app) => routes.register(app),
    // An unknown path is answered as one (renderError), whatever its signature.
    authenticate: (req) => (req.routeOptions?.url === undefined ? null : verifyBceAuth(req, (ak) => store.accessKeys.get(ak), Date.now())),
    describe: (req) => routes.describe(req),
    renderError: (reply, raw, requestId) => {
      const error = raw.code === 'NotFound' ? unknownApi(reply.request.url) : raw;
      void reply
        .code(error.httpStatus)
        .header('x-bce-request-id', requestId)
        .header('content-type', 'application/json;charset=UTF-8')
        .send(JSON.stringify({ requestId, code: error.code, message: error.message }));
    },
    newRequestId: () => randomUUID(),
    // Unverified: BCE documents no throttling code; 429 + TooManyRequests (see docs/baidu.md).
    throttleError: { httpStatus: 429, code: 'TooManyRequests', message: BAIDU_ERRORS.TooManyRequests.message },
    errorCatalog: BAIDU_ERRORS,
  };
}
