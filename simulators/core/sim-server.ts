import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { Throttle, type ThrottleSettings } from './throttle';
import type { FaultEffect } from './faults';
import { SimErrorThrown, type ProviderSim, type SimContext, type SimError } from './types';

/** The raw request body: signatures cover the exact bytes, so no parser touches it first. */
export function rawBody(req: FastifyRequest): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/** The body parsed as JSON; an empty body is `{}`. Invalid JSON throws (answered as a 400 by the caller). */
export function jsonBody<T = Record<string, unknown>>(req: FastifyRequest): T {
  const raw = rawBody(req);
  return (raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'))) as T;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Wrap one provider's simulator in an HTTP server with the behaviour every real endpoint has:
 * throttling, signature checks, injected faults, and a call log entry for every request.
 * Order: route → throttle → authenticate → faults → handler → (maybe drop the answer) → log.
 */
export function createSimServer(sim: ProviderSim, ctx: SimContext, throttle: Throttle): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.decorateRequest('simRequestId', '');
  app.decorateRequest('simArrivedAt', 0);
  // The first hook: the arrival is stamped before routing, parsing and the handler take their time.
  app.addHook('onRequest', async (req) => {
    req.simArrivedAt = Date.now();
  });

  const answerError = (req: FastifyRequest, reply: Parameters<ProviderSim['renderError']>[0], err: SimError) => {
    sim.renderError(reply, err, req.simRequestId);
    return reply;
  };

  app.addHook('preHandler', async (req, reply) => {
    req.simRequestId = sim.newRequestId();
    ctx.timeline.advance();
    req.simCall = sim.describe(req);
    if (!throttle.take()) return answerError(req, reply, sim.throttleError);
    const authError = sim.authenticate(req);
    if (authError) return answerError(req, reply, authError);
    const effect = ctx.faults.effectFor(sim.name, req.simCall.action, req.simCall.target);
    if (effect.latencyMs > 0) await sleep(effect.latencyMs);
    if (effect.error) return answerError(req, reply, injected(req, effect.error));
    req.simDrop = effect.dropResponse;
    if (effect.errorAfterApply) req.simErrorAfterApply = injected(req, effect.errorAfterApply);
  });

  app.setErrorHandler((error, req, reply) => {
    if (error instanceof SimErrorThrown) return answerError(req, reply, error.simError);
    if (error instanceof SyntaxError)
      return answerError(req, reply, { httpStatus: 400, code: 'InvalidParameter', message: 'The request body is not valid JSON.' });
    return answerError(req, reply, { httpStatus: 500, code: 'InternalError', message: String((error as Error).message ?? error) });
  });

  app.setNotFoundHandler((req, reply) => {
    req.simRequestId ||= sim.newRequestId();
    return answerError(req, reply, { httpStatus: 404, code: 'NotFound', message: `No such API: ${req.method} ${req.url}` });
  });

  /** An injected error in the provider's own shape (its catalogue fills in what the fault leaves out). */
  function injected(req: FastifyRequest, error: NonNullable<FaultEffect['error']>): SimError {
    const known = sim.errorCatalog[error.code];
    (req as FastifyRequest & { simInjected?: boolean }).simInjected = true;
    return { code: error.code, httpStatus: error.httpStatus ?? known?.httpStatus ?? 500, message: error.message ?? known?.message ?? 'Injected fault.' };
  }

  // The call was applied. Logged here, whether or not its answer reaches anyone (a client that went away, a
  // dropped answer); an `applied` fault then swaps the answer for an error; a "dropped response" fault cuts
  // the connection before the answer leaves.
  app.addHook('onSend', async (req, reply, payload) => {
    const late = req.simErrorAfterApply;
    if (late && !req.simErrorAfterApplySent) {
      req.simErrorAfterApplySent = true;
      const captured = captureError(req, late);
      void reply.code(captured.status);
      for (const [k, v] of Object.entries(captured.headers)) void reply.header(k, v);
      recordCall(req, captured.status);
      return captured.body;
    }
    recordCall(req, reply.statusCode);
    if (req.simDrop) reply.raw.socket?.destroy();
    return payload;
  });

  app.addHook('onResponse', async (req, reply) => {
    recordCall(req, reply.statusCode);
  });

  /** What the simulator's own error renderer would answer, without sending it. */
  function captureError(req: FastifyRequest, error: SimError): { status: number; headers: Record<string, string>; body: string } {
    const out = { status: error.httpStatus, headers: {} as Record<string, string>, body: '' };
    const shim = {
      code(status: number) {
        out.status = status;
        return shim;
      },
      header(k: string, v: string) {
        out.headers[k] = v;
        return shim;
      },
      send(body: unknown) {
        out.body = typeof body === 'string' ? body : JSON.stringify(body);
        return shim;
      },
      request: req,
    };
    sim.renderError(shim as unknown as Parameters<ProviderSim['renderError']>[0], error, req.simRequestId);
    return out;
  }

  const logged = new WeakSet<FastifyRequest>();
  function recordCall(req: FastifyRequest, statusCode: number) {
    if (logged.has(req)) return;
    logged.add(req);
    const errorCode = (req as FastifyRequest & { simErrorCode?: string }).simErrorCode;
    ctx.calls.add({
      arrivedAt: req.simArrivedAt || Date.now(),
      provider: sim.name,
      method: req.method,
      path: req.url.split('?')[0] ?? req.url,
      action: req.simCall?.action ?? 'Unknown',
      target: req.simCall?.target,
      httpStatus: statusCode,
      errorCode,
      requestId: req.simRequestId,
      dropped: req.simDrop || undefined,
      injected: (req as FastifyRequest & { simInjected?: boolean }).simInjected || undefined,
    });
  }

  // Remember the error code for the call log, whoever rendered it.
  const render = sim.renderError.bind(sim);
  sim.renderError = (reply, error, requestId) => {
    (reply.request as FastifyRequest & { simErrorCode?: string }).simErrorCode = error.code;
    render(reply, error, requestId);
  };

  sim.routes(app);
  return app;
}

export type { ThrottleSettings };
