import type { ProviderSim, SimContext } from '../core/types';
import { authenticateHuawei } from './auth';
import { bssRoutes } from './bss';
import { dccRoutes } from './dcc';
import { ecsRoutes } from './ecs';
import { HUAWEI_ERRORS, huaweiError, renderHuaweiError } from './errors';
import { evsRoutes } from './evs';
import type { HuaweiFixture } from './fixture';
import { modelartsRoutes } from './modelarts';
import { describeRoute } from './routing';
import { hexId, HuaweiState } from './state';

/**
 * The Huawei Cloud simulator: ModelArts Lite Server (DevServer, supernode), Billing Center (BSS),
 * ECS servers and jobs, DCC hosts (modelled on DeH) and EVS disks, all on one endpoint, signed with
 * SDK-HMAC-SHA256 and throttled the way API Gateway does (APIGW.0308, HTTP 429).
 */
export function createHuaweiSim(ctx: SimContext): ProviderSim<HuaweiFixture> {
  const state = new HuaweiState(ctx.timeline);
  return {
    name: 'huawei',
    seed: (section) => state.load(section),
    snapshot: () => state.snapshot(),
    routes(app) {
      // Every answer, success or error, carries the request ID the way Huawei's gateway does.
      app.addHook('onSend', async (req, reply, payload) => {
        if (req.simRequestId) reply.header('X-Request-Id', req.simRequestId);
        return payload;
      });
      modelartsRoutes(app, state);
      bssRoutes(app, state);
      ecsRoutes(app, state, ctx.faults);
      dccRoutes(app, state);
      evsRoutes(app, state);
    },
    authenticate: (req) => authenticateHuawei(req, state),
    describe: describeRoute,
    renderError: renderHuaweiError,
    newRequestId: hexId,
    // APIG's throttling answer; the real message adds the policy's limit, which the gateway knows and we do not.
    throttleError: huaweiError('APIGW.0308', 'The throttling threshold has been reached: policy user over ratelimit,time:1 second'),
    errorCatalog: HUAWEI_ERRORS,
  };
}
