// PLACEHOLDER: replaced by the alibaba simulator.
import type { ProviderSim, SimContext } from '../core/types';

export function createAlibabaSim(_ctx: SimContext): ProviderSim {
  return {
    name: 'alibaba',
    seed() {},
    snapshot: () => ({}),
    routes() {},
    authenticate: () => null,
    describe: (req) => ({ action: req.method }),
    renderError: (reply, error, requestId) => void reply.code(error.httpStatus).send({ code: error.code, message: error.message, requestId }),
    newRequestId: () => 'placeholder',
    throttleError: { httpStatus: 429, code: 'Throttling', message: 'Throttled' },
    errorCatalog: {},
  };
}
