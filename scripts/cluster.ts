// `npm run test:cluster`: the project on the persistence production uses. Runs the Temporal server itself (built
// by scripts/temporal-server.sh at the version the CLI embeds) on PostgreSQL (SQL_HOST/SQL_PORT/SQL_USER/
// SQL_PASSWORD, default 127.0.0.1:5432, user postgres), schema set up by the server's own SQL tool in two fresh
// databases; registers `default` with the CLI and the search attributes with the project's command; runs the
// simulators and two worker processes; starts a release of every kind, and SIGKILLs and restarts the server while
// they are in flight (mid-activity, at a backup gate, on a timer). Then checks that every release ended as
// expected with its report, at most one destructive call per resource, reports that match the simulators' state,
// no workflow-task failure, and the project's visibility query on the SQL store. Exit code 0 only if all hold.
import { Client, Connection } from '@temporalio/client';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confirmBackup, progress, startRelease, type ReleaseHandle } from '../client/release';
import { ReleaseFailureType } from '../common/failure-types';
import { releaseWorkflowId, type ReleaseRequest } from '../domain/request';
import { SimAdminClient } from '../simulators/admin-client';
import { SIM_PROVIDERS, startSimulators, type RunningSimulators } from '../simulators/runtime';
import { sandboxProviderConfig } from '../simulators/sandbox-config';
import type { releaseResource } from '../workflows';
import { destructiveCallsPerResource, endingOf, reportMismatches, workflowTaskEvents, type Ending } from './faults/evidence';
import { assertReachable, DATABASES, postgresFromEnv, setupDatabases } from './cluster/postgres';
import { createAuditSchema, type AuditSchema } from './audit-schema';
import { TemporalServer } from './cluster/server';
import { buildWorkflowBundle, createNamespace, killToolsNow, provisionSearchAttributes, serverBinaries } from './cluster/tools';
import { HUAWEI_PROJECT, RELEASES, type ReleaseCase } from './faults/catalogue';
import { Fleet } from './faults/fleet';
import { messageOf, sleep, withTimeout } from './faults/support';

const NAMESPACE = 'default';
const TASK_QUEUE = 'cluster';
/**
 * Everything is killed and the run fails past this, counted once the server is built (a one-time build of about 3
 * minutes, bounded by itself). A run takes about a minute.
 */
const HARD_LIMIT_MS = 300_000;
/** Releases must all have ended this long after they were started. */
const RELEASE_DEADLINE_MS = 150_000;
/** Server restarts, by time since the releases were started: mid-activity, then while some wait at a gate or a timer. */
const RESTART_AT_MS = [2_500, 12_000, 24_000];
/** The query the README gives for releases waiting for a backup confirmation, on the SQL visibility store. */
const WAITING_QUERY = `CloudProvider = "huawei" AND ReleasePhase = "confirm" AND TaskQueue = "${TASK_QUEUE}"`;

const huaweiNode = (n: number, confirmWithin: string): ReleaseRequest => ({
  provider: 'huawei',
  kind: 'modelarts-node',
  region: 'cn-southwest-2',
  projectId: HUAWEI_PROJECT,
  resourceId: `d${String(n).padStart(7, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`,
  requestedBy: 'alice@platform',
  ticket: 'CHG-CLUSTER',
  backup: { required: true, confirmWithin },
});
type Case = Omit<ReleaseCase, 'expect'> & { expect: string };
/** Waits at the backup gate across restarts, confirmed after one (a node in ERROR with a data disk: data at risk). */
const GATED: Case = { name: 'huawei node, backup confirmed later', request: huaweiNode(4, '10m'), expect: 'released' };
/** Its confirmation never comes: the durable timer, set before the restarts, must fire after them. */
const TIMED: Case = { name: 'huawei node, backup never confirmed', request: huaweiNode(18, '35s'), expect: ReleaseFailureType.backupNotConfirmed };
/** A release started under a typed-in ID hands over to the canonical one, which must release. */
const DELEGATED = 'delegated, then released';

/** Provider latency, so releases are mid-activity when the server goes down (no errors: the restarts are the fault). */
const LATENCY = SIM_PROVIDERS.flatMap((provider) => [
  { provider, latencyMs: 1_500, rate: 0.1 },
  { provider, latencyMs: 400, rate: 0.3 },
]);

interface Result extends Ending {
  rc: Case;
  workflowId: string;
  ms: number;
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const say = (m: string) => console.log(`[cluster ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
  const dir = mkdtempSync(join(tmpdir(), 'cloud-release-cluster-'));
  let server: TemporalServer | undefined;
  let sims: RunningSimulators | undefined;
  let fleet: Fleet | undefined;
  let audit: AuditSchema | undefined;
  let client: Client | undefined;
  const emergency = (why: string) => {
    console.error(`[cluster] ${why}: killing everything`);
    fleet?.killAllNow();
    server?.killNow();
    killToolsNow();
    rmSync(dir, { recursive: true, force: true });
    console.log('0 passed, 1 failed');
    process.exit(1);
  };
  process.once('SIGINT', () => emergency('interrupted'));
  process.once('SIGTERM', () => emergency('terminated'));

  try {
    // ---- The cluster, set up as an operator would.
    const pg = postgresFromEnv();
    await assertReachable(pg);
    const bin = await serverBinaries();
    setTimeout(() => emergency(`hard time limit of ${HARD_LIMIT_MS / 1000}s reached`), HARD_LIMIT_MS).unref();
    const bundlePath = join(dir, 'workflows.js');
    await Promise.all([setupDatabases(bin.sql, bin.schema, pg), buildWorkflowBundle(bundlePath)]);
    say(`databases ${DATABASES.default} and ${DATABASES.visibility} on ${pg.host}:${pg.port} set up by temporal-sql-tool; workflow bundle built`);
    server = await TemporalServer.configure(bin.server, dir, pg);
    await server.start();
    await createNamespace(server.address, NAMESPACE);
    // Children get the cluster's settings only, not whatever TEMPORAL_* profile this shell has.
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEMPORAL_')));
    const temporalEnv = { ...base, TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: NAMESPACE };
    say(`Temporal server on ${server.address}, namespace ${NAMESPACE}; ${await provisionSearchAttributes(temporalEnv)}`);

    sims = await startSimulators({ host: '127.0.0.1' });
    const admin = new SimAdminClient(sims.endpoints.admin);
    const { config, env } = sandboxProviderConfig(sims.endpoints);
    const configPath = join(dir, 'providers.json');
    writeFileSync(configPath, JSON.stringify(config));
    audit = await createAuditSchema('audit_cluster');
    fleet = new Fleet(
      {
        ...temporalEnv,
        ...env,
        CLOUD_RELEASE_WORKFLOW_BUNDLE: bundlePath,
        CLOUD_RELEASE_CONFIG: configPath,
        CLOUD_RELEASE_TASK_QUEUE: TASK_QUEUE,
        CLOUD_RELEASE_AUDIT_DATABASE_URL: audit.url,
      },
      dir,
      2,
    );
    if (!(await fleet.allReady(60_000))) throw new Error(`the workers did not start (logs: ${fleet.logPaths.join(', ')})`);
    client = new Client({ connection: await Connection.connect({ address: server.address }), namespace: NAMESPACE });
    for (const f of LATENCY) await admin.injectFault(f);
    say('simulators and 2 workers up');

    // ---- The releases, and the server killed under them.
    const c = client;
    const started = Date.now();
    const deadline = started + RELEASE_DEADLINE_MS;
    const handles: ReleaseHandle[] = [];
    const runCase = async (rc: Case): Promise<Result> => {
      const handle: ReleaseHandle = rc.rawWorkflowId
        ? await c.workflow.start<typeof releaseResource>('releaseResource', { taskQueue: TASK_QUEUE, workflowId: rc.rawWorkflowId, args: [rc.request] })
        : await startRelease(c, rc.request, TASK_QUEUE);
      handles.push(handle);
      const e = await endingOf(handle, deadline);
      if (rc.expect !== DELEGATED || e.got !== 'delegated') return { ...e, rc, workflowId: handle.workflowId, ms: Date.now() - started };
      const canonical = await endingOf(c.workflow.getHandle(releaseWorkflowId(rc.request)), deadline);
      const got = `delegated, then ${canonical.got}`;
      return { ...canonical, got, clientRetries: e.clientRetries + canonical.clientRetries, rc, workflowId: handle.workflowId, ms: Date.now() - started };
    };
    const cases: Case[] = [...RELEASES.map((rc) => (rc.expect === 'delegated' ? { ...rc, expect: DELEGATED } : rc)), GATED, TIMED];
    const results = Promise.all(cases.map(runCase));
    say(`${cases.length} releases started (${RELEASES.length} of every kind, 1 at a backup gate, 1 on a backup timer)`);

    const gate = c.workflow.getHandle<typeof releaseResource>(releaseWorkflowId(GATED.request));
    const restartTimes: number[] = [];
    let listedWaiting: string[] = [];
    for (const [i, at] of RESTART_AT_MS.entries()) {
      await sleep(started + at - Date.now());
      const phases = await Promise.all(handles.map((h) => phaseOf(h)));
      const down = Date.now();
      await server.restart();
      restartTimes.push(Date.now() - down);
      const tally = new Map<string, number>();
      for (const p of phases) tally.set(p, (tally.get(p) ?? 0) + 1);
      say(
        `server SIGKILLed and back in ${((Date.now() - down) / 1000).toFixed(1)}s; phases when killed: ${[...tally].map(([p, n]) => `${p} ${n}`).join(', ')}`,
      );
      if (i === 1) {
        // Both backup releases wait at the gate by now: the visibility query must list them.
        listedWaiting = await listUntil(c, WAITING_QUERY, 2, 15_000);
        await withTimeout(confirmBackup(gate, { confirmedBy: 'bob@platform', backupReference: 'snap-cluster-0001' }), 60_000, 'confirmBackup');
        say(`visibility query listed ${listedWaiting.length} waiting releases; backup confirmed for ${gate.workflowId}`);
      }
    }
    const ended = await results;
    say('every release has ended (or its deadline passed)');

    // ---- The evidence.
    await fleet.stop();
    const calls = await admin.calls();
    const state = await admin.state<Record<string, Record<string, unknown>>>();
    const perTarget = destructiveCallsPerResource(calls);
    const repeated = [...perTarget].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
    const mismatches = reportMismatches(
      ended.filter((e) => e.got === 'released' && e.report).map((e) => ({ workflowId: e.workflowId, report: e.report! })),
      state,
    );
    const tasks = await workflowTaskEvents(c);
    const unexpected = ended.filter((e) => e.got !== e.rc.expect);
    const untyped = ended.filter((e) => !e.typed);
    const expectedWaiting = [GATED, TIMED].map((rc) => releaseWorkflowId(rc.request));
    const missingFromQuery = expectedWaiting.filter((id) => !listedWaiting.includes(id));

    console.log('');
    console.log(`Cluster run: ${ended.length} releases, ${server.restarts} server restarts (SIGKILL), ${((Date.now() - t0) / 1000).toFixed(0)}s`);
    console.log(`  Temporal server ${bin.server}, PostgreSQL ${pg.host}:${pg.port} (${DATABASES.default}, ${DATABASES.visibility})`);
    for (const e of ended) console.log(`    ${e.got === e.rc.expect ? ' ' : '!'} ${e.rc.name.padEnd(40)} ${e.got.padEnd(26)} ${(e.ms / 1000).toFixed(1)}s`);
    console.log(`  server back after a SIGKILL in: ${restartTimes.map((ms) => `${(ms / 1000).toFixed(1)}s`).join(', ')}`);
    console.log(`  client calls retried while the server was down: ${ended.reduce((a, e) => a + e.clientRetries, 0)}`);
    console.log(`  worker processes: ${fleet.spawns} started, ${fleet.unexpectedExits.length} exited by themselves`);
    for (const x of fleet.unexpectedExits) console.log(`    ${x}`);
    console.log(`  destructive calls: ${[...perTarget.values()].reduce((a, b) => a + b, 0)} over ${perTarget.size} resources; ${calls.length} provider calls`);
    console.log(`  histories: ${tasks.executions}, workflow task timeouts (from the kills): ${tasks.timedOut}`);
    console.log('');

    const invariants: { figure: string; value: string; required: string; ok: boolean; why?: string[] }[] = [
      {
        figure: 'server restarts (SIGKILL) with releases in flight',
        value: String(server.restarts),
        required: `${RESTART_AT_MS.length}`,
        ok: server.restarts === RESTART_AT_MS.length,
      },
      {
        figure: 'releases with an unexpected ending',
        value: String(unexpected.length),
        required: '0',
        ok: unexpected.length === 0,
        why: unexpected.map((e) => `${e.workflowId}: expected ${e.rc.expect}, got ${e.got}${e.detail ? ` (${e.detail.slice(0, 160)})` : ''}`),
      },
      {
        figure: 'endings without their report',
        value: String(untyped.length),
        required: '0',
        ok: untyped.length === 0,
        why: untyped.map((e) => `${e.workflowId}: ${e.got}`),
      },
      {
        figure: 'max destructive calls per resource',
        value: String(Math.max(0, ...perTarget.values())),
        required: '<= 1',
        ok: repeated.length === 0 && perTarget.size > 0,
        why: repeated,
      },
      { figure: 'reports that differ from the final state', value: String(mismatches.length), required: '0', ok: mismatches.length === 0, why: mismatches },
      { figure: 'WorkflowTaskFailed events', value: String(tasks.failed.length), required: '0', ok: tasks.failed.length === 0, why: tasks.failed },
      {
        figure: 'worker processes that exited by themselves',
        value: String(fleet.unexpectedExits.length),
        required: '0',
        ok: fleet.unexpectedExits.length === 0,
      },
      {
        figure: 'waiting releases listed by the visibility query',
        value: `${expectedWaiting.length - missingFromQuery.length}/${expectedWaiting.length}`,
        required: `${expectedWaiting.length}/${expectedWaiting.length}`,
        ok: missingFromQuery.length === 0,
        why: [`${WAITING_QUERY} listed: ${listedWaiting.join(', ') || 'nothing'}`],
      },
    ];
    const w = Math.max(...invariants.map((i) => i.figure.length));
    console.log(`  ${'invariant'.padEnd(w)}  ${'value'.padStart(7)}  ${'required'.padStart(8)}`);
    for (const i of invariants) {
      console.log(`  ${i.figure.padEnd(w)}  ${i.value.padStart(7)}  ${i.required.padStart(8)}  ${i.ok ? 'ok' : 'FAILED'}`);
      if (!i.ok) for (const line of (i.why ?? []).slice(0, 20)) console.log(`      ${line}`);
    }
    const failed = invariants.filter((i) => !i.ok).length;
    console.log('');
    console.log(`${invariants.length - failed} passed, ${failed} failed`);
    return failed === 0 ? 0 : 1;
  } finally {
    await fleet?.stop().catch(() => undefined);
    await client?.connection.close().catch(() => undefined);
    await sims?.close().catch(() => undefined);
    await server?.kill().catch(() => undefined);
    await audit?.drop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Where a release is: its phase while it runs, else how it closed. */
async function phaseOf(handle: ReleaseHandle): Promise<string> {
  try {
    const { status } = await handle.describe();
    return status.name === 'RUNNING' ? (await withTimeout(progress(handle), 5_000, 'progress')).phase : status.name.toLowerCase();
  } catch (err) {
    return `unknown (${messageOf(err).slice(0, 40)})`;
  }
}

/** The workflow IDs a visibility query lists, polled until it lists `want` of them (visibility trails by a moment). */
async function listUntil(client: Client, query: string, want: number, timeoutMs: number): Promise<string[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ids: string[] = [];
    try {
      for await (const wf of client.workflow.list({ query })) ids.push(wf.workflowId);
    } catch (err) {
      if (Date.now() > until) throw new Error(`the visibility query ${query} failed: ${messageOf(err)}`);
    }
    if (ids.length >= want || Date.now() > until) return ids;
    await sleep(500);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`cluster: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
