import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallLog } from './call-log';
import type { Faults } from './faults';
import type { Timeline } from './timeline';

export type SimProviderName = 'alibaba' | 'baidu' | 'huawei';

/** An error as the provider would answer it; each simulator renders it in its own shape. */
export interface SimError {
  httpStatus: number;
  code: string;
  message: string;
}

export class SimErrorThrown extends Error {
  constructor(readonly simError: SimError) {
    super(`${simError.code}: ${simError.message}`);
  }
}

/** Throw from a route handler to answer with the provider's error shape. */
export function simFail(httpStatus: number, code: string, message: string): never {
  throw new SimErrorThrown({ httpStatus, code, message });
}

/** What a request is, for the call log and for fault matching. */
export interface CallDescription {
  action: string;
  target?: string;
}

/** Shared by every simulator: clock-driven transitions, faults, the call log. */
export interface SimContext {
  timeline: Timeline;
  faults: Faults;
  calls: CallLog;
}

/**
 * One provider's simulator. The core (sim-server.ts) wraps it with throttling, authentication,
 * fault injection and the call log, so a provider module only describes its API and state.
 */
export interface ProviderSim<Section = unknown> {
  readonly name: SimProviderName;
  /** Load a fixture section (already parsed JSON); replaces all state. */
  seed(section: Section | undefined): void;
  /** The full state, for the admin API and the tests. */
  snapshot(): unknown;
  /** Register the provider's API routes. Handlers read raw bodies through `rawBody(req)`. */
  routes(app: FastifyInstance): void;
  /** Verify the request's signature; an error is answered in the provider's shape (401/403). */
  authenticate(req: FastifyRequest): SimError | null;
  /** Which API action and resource a request is (after routing: params are available). */
  describe(req: FastifyRequest): CallDescription;
  /** Answer an error in the provider's own shape, with its request-ID convention. */
  renderError(reply: FastifyReply, error: SimError, requestId: string): void;
  /** Set the provider's request-ID convention on a successful answer (header or body field). */
  newRequestId(): string;
  /** The provider's throttling answer. */
  readonly throttleError: SimError;
  /** Catalogue of the provider's error codes, so an injected fault answers with the right status and message. */
  readonly errorCatalog: Readonly<Record<string, { httpStatus: number; message: string }>>;
}

declare module 'fastify' {
  interface FastifyRequest {
    simRequestId: string;
    /** When the request arrived (ms since the epoch): a provider counts its rate limit by arrivals. */
    simArrivedAt: number;
    simCall?: CallDescription;
    simDrop?: boolean;
    /** Answer this error once the call was applied (an `applied` fault). */
    simErrorAfterApply?: SimError;
    simErrorAfterApplySent?: boolean;
  }
}
