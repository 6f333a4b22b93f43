import Fastify, { type FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAlibabaSim } from './alibaba';
import { createBaiduSim } from './baidu';
import { CallLog, type CallFilter } from './core/call-log';
import { Faults, type FaultSpec } from './core/faults';
import { createSimServer } from './core/sim-server';
import { Throttle, type ThrottleSettings } from './core/throttle';
import { Timeline } from './core/timeline';
import type { ProviderSim, SimContext, SimProviderName } from './core/types';
import { createHuaweiSim } from './huawei';

/** A whole inventory: one section per provider (each simulator documents its own), plus throttling. */
export interface Fixture {
  throttle?: Partial<Record<SimProviderName, ThrottleSettings>>;
  alibaba?: unknown;
  baidu?: unknown;
  huawei?: unknown;
}

export const SIM_PROVIDERS: readonly SimProviderName[] = ['alibaba', 'baidu', 'huawei'];

/** The default inventory: one readable file per provider under simulators/fixtures/default/. */
export function defaultFixture(): Fixture {
  const dir = join(__dirname, 'fixtures', 'default');
  const read = (name: string) => JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as unknown;
  return { alibaba: read('alibaba'), baidu: read('baidu'), huawei: read('huawei') };
}

export function loadFixtureFile(path: string): Fixture {
  return JSON.parse(readFileSync(path, 'utf8')) as Fixture;
}

export interface SimulatorOptions {
  host?: string;
  /** Port per provider and for the admin API; 0 (the default) picks a free one. */
  ports?: Partial<Record<SimProviderName | 'admin', number>>;
  fixture?: Fixture;
}

export interface RunningSimulators {
  /** Base URLs, e.g. http://127.0.0.1:41234 */
  endpoints: Record<SimProviderName | 'admin', string>;
  ctx: SimContext;
  sims: Record<SimProviderName, ProviderSim>;
  reset: (fixture?: Fixture) => void;
  close(): Promise<void>;
}

const UNLIMITED: ThrottleSettings = { rps: 0, burst: 1 };

export async function startSimulators(options: SimulatorOptions = {}): Promise<RunningSimulators> {
  const host = options.host ?? '127.0.0.1';
  const timeline = new Timeline();
  const ctx: SimContext = { timeline, faults: new Faults(timeline), calls: new CallLog() };
  const sims: Record<SimProviderName, ProviderSim> = {
    alibaba: createAlibabaSim(ctx),
    baidu: createBaiduSim(ctx),
    huawei: createHuaweiSim(ctx),
  };
  const throttles = Object.fromEntries(SIM_PROVIDERS.map((p) => [p, new Throttle(UNLIMITED)])) as Record<SimProviderName, Throttle>;

  const reset = (fixture: Fixture = options.fixture ?? defaultFixture()) => {
    timeline.clear();
    ctx.faults.clear();
    ctx.calls.clear();
    for (const p of SIM_PROVIDERS) {
      sims[p].seed(fixture[p]);
      throttles[p].configure(fixture.throttle?.[p] ?? UNLIMITED);
    }
  };
  reset();

  const servers: FastifyInstance[] = [];
  const endpoints = {} as Record<SimProviderName | 'admin', string>;
  try {
    for (const p of SIM_PROVIDERS) {
      const app = createSimServer(sims[p], ctx, throttles[p]);
      servers.push(app);
      endpoints[p] = await app.listen({ host, port: options.ports?.[p] ?? 0 });
    }
    const admin = createAdminServer({ ctx, sims, throttles, reset, endpoints });
    servers.push(admin);
    endpoints.admin = await admin.listen({ host, port: options.ports?.admin ?? 0 });
  } catch (err) {
    await Promise.all(servers.map((s) => s.close()));
    throw err;
  }

  return {
    endpoints,
    ctx,
    sims,
    reset,
    close: async () => {
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}

interface AdminDeps {
  ctx: SimContext;
  sims: Record<SimProviderName, ProviderSim>;
  throttles: Record<SimProviderName, Throttle>;
  reset: (fixture?: Fixture) => void;
  endpoints: Record<string, string>;
}

/** The admin API: reset/seed, read state and the call log, inject faults, set throttling. */
function createAdminServer({ ctx, sims, throttles, reset, endpoints }: AdminDeps): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 50 * 1024 * 1024 });
  const isProvider = (p: unknown): p is SimProviderName => SIM_PROVIDERS.includes(p as SimProviderName);

  app.get('/admin/endpoints', async () => endpoints);
  app.post('/admin/reset', async (req) => {
    const body = req.body as Fixture | undefined;
    reset(body && Object.keys(body).length > 0 ? body : undefined);
    return { ok: true };
  });
  app.get('/admin/state', async () => {
    ctx.timeline.advance();
    return {
      ...Object.fromEntries(SIM_PROVIDERS.map((p) => [p, sims[p].snapshot()])),
      pendingTransitions: ctx.timeline.pending(),
    };
  });
  app.get('/admin/calls', async (req) => ctx.calls.list(req.query as CallFilter));
  app.delete('/admin/calls', async () => {
    ctx.calls.clear();
    return { ok: true };
  });
  app.get('/admin/faults', async () => ctx.faults.list());
  app.post('/admin/faults', async (req, reply) => {
    const spec = req.body as FaultSpec;
    if (!isProvider(spec?.provider)) return reply.code(400).send({ error: `provider must be one of ${SIM_PROVIDERS.join(', ')}` });
    if (spec.stuck && !spec.target) return reply.code(400).send({ error: 'a stuck fault needs a target' });
    return ctx.faults.add(spec);
  });
  app.delete('/admin/faults', async () => {
    ctx.faults.clear();
    return { ok: true };
  });
  app.delete<{ Params: { id: string } }>('/admin/faults/:id', async (req, reply) =>
    ctx.faults.remove(Number(req.params.id)) ? { ok: true } : reply.code(404).send({ error: 'no such fault' }),
  );
  app.put<{ Params: { provider: string }; Body: ThrottleSettings }>('/admin/throttle/:provider', async (req, reply) => {
    const { provider } = req.params;
    if (!isProvider(provider)) return reply.code(404).send({ error: 'no such provider' });
    const { rps, burst } = req.body ?? {};
    if (typeof rps !== 'number' || rps < 0 || typeof burst !== 'number' || burst < 1) {
      return reply.code(400).send({ error: 'body must be { rps: number >= 0, burst: number >= 1 }' });
    }
    throttles[provider].configure({ rps, burst });
    return throttles[provider].current();
  });
  return app;
}
