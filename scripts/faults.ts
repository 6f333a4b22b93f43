// `npm run test:faults`: the fault suite. Attacks the release workflow the way a hostile production would, against a
// real Temporal dev server, the simulators and two real worker processes: provider errors, latency, lost answers and
// errors answered after the call took effect, SIGKILLed workers, a SIGKILLed and restarted Temporal server (persisted
// on disk), malformed inputs (raw start, client, CLI) and update payloads, the protection tag in every spelling,
// self-approved overrides and protection switched on before destroy. Then checks
// the invariants (at most one destructive call per resource, reports that match the providers' state, no credential
// anywhere, no workflow-task retry loop, typed endings) and prints its figures. Bounded (under 4 minutes), all on
// 127.0.0.1; exit code 0 only if every invariant holds. FAULTS_SEED picks the run plan (kill times, victims, order).
import { Client, Connection, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRelease, progress } from '../client/release';
import { ReleaseFailureType } from '../common/failure-types';
import { SEARCH_ATTRIBUTES } from '../common/temporal';
import { releaseWorkflowId, type ReleaseRequest } from '../domain/request';
import type { ReleaseReport } from '../domain/report';
import { SimAdminClient } from '../simulators/admin-client';
import type { CallRecord } from '../simulators/core/call-log';
import type { FaultSpec } from '../simulators/core/faults';
import { defaultFixture, SIM_PROVIDERS, startSimulators, type RunningSimulators } from '../simulators/runtime';
import { sandboxProviderConfig, simKey } from '../simulators/sandbox-config';
import type { releaseResource } from '../workflows';
import { workflowBundleOptions } from '../workflow-bundle';
import { DEV_SERVER_DYNAMIC_CONFIG, DEV_SERVER_SQLITE_PRAGMAS, temporalCliPath } from './dev-server';
import { BAD_INPUT_TARGETS, badInputs, badUpdates, RELEASES, SHORT_RELEASES, WAITING_RELEASE, type ReleaseCase } from './faults/catalogue';
import { runCliInputs, startedUnder, type CliResult } from './faults/cli-inputs';
import { clientRefused, runClientInputs, type InputResult } from './faults/client-inputs';
import type { Invariant } from './faults/invariant';
import { protectionFixture, protectionRun } from './faults/protection';
import { destructiveCallsPerResource, endingOf, reportMismatches } from './faults/evidence';
import { Fleet } from './faults/fleet';
import { PgAuditStore } from '../audit/pg';
import { createAuditSchema, type AuditSchema } from './audit-schema';
import { freePort, Lcg, messageOf, sleep, TimeoutError, withTimeout } from './faults/support';

const HOST = '127.0.0.1';
const NAMESPACE = 'default';
const TASK_QUEUE = 'faults';
/** The CLI's namespace: no worker, nothing else runs there, so any workflow in it was started by a bad input. */
const CLI_NAMESPACE = 'faults-cli';
const CLI_CONCURRENCY = 4;
const DEFAULT_SEED = 20261201;
/**
 * How hard and how long the attack is. `full` (the default, in CI): every release case, every malformed input and
 * a dozen kills, in 4 to 5 minutes. On a slow machine a killed worker takes 8 s or more to poll again, so a dozen
 * kills may take 95 s, and the 87 CLI processes took from 100 s to 139 s: the limits leave room for that. `short` (FAULTS_PROFILE=short, in `npm test`): one release per kind and path,
 * a quarter of the malformed inputs, a few kills and the server restart, in about a minute.
 */
const PROFILES = {
  full: {
    /** Everything is killed and the run fails past this. */
    hardLimitMs: 360_000,
    /** Releases must all have ended by then (from the start of the run). */
    releaseDeadlineMs: 270_000,
    /** Kills: at least minKills, over at least killWindowMs of the attack, never past killWindowMaxMs. */
    minKills: 12,
    killWindowMs: 45_000,
    // A killed worker is killed again only once it polls again: on a slow machine a restart takes 8 s or more.
    killWindowMaxMs: 95_000,
    /** Releases and malformed inputs are started within this window of the attack. */
    startWindowMs: 30_000,
    releases: RELEASES,
    badInputEvery: 1,
    minBadInputs: 60,
    /** Every one-argument input through the CLI (a process each, ~1 s). */
    cliEvery: 1,
    /** Every protection spelling and both self-approved overrides. */
    sampleProtection: false,
  },
  short: {
    hardLimitMs: 236_000,
    releaseDeadlineMs: 205_000,
    minKills: 4,
    killWindowMs: 12_000,
    killWindowMaxMs: 45_000,
    startWindowMs: 8_000,
    releases: RELEASES.filter((r) => SHORT_RELEASES.includes(r.name)),
    badInputEvery: 4,
    minBadInputs: 20,
    cliEvery: 4,
    sampleProtection: true,
  },
};
const profileName = process.env.FAULTS_PROFILE ?? 'full';
if (profileName !== 'full' && profileName !== 'short') throw new Error(`FAULTS_PROFILE must be full or short, got ${profileName}`);
const P = PROFILES[profileName];
/** A malformed start must be refused within this (worker kills included: a lost workflow task takes ~10 s). */
const BAD_INPUT_MAX_MS = 30_000;

const CLI_TYPE = { TEXT: 'Text', KEYWORD: 'Keyword', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', DATETIME: 'Datetime', KEYWORD_LIST: 'KeywordList' } as const;

/** The reads each release starts with (inspection, status before the destructive call, waiting until gone). */
const PRIMARY_READS: Record<string, string[]> = {
  alibaba: ['DescribeInstances'],
  baidu: ['GetInstance'],
  huawei: ['ShowDevServer', 'ShowHyperinstance', 'ShowDedicatedHost'],
};
/** The other reads: one activity attempt makes up to a dozen of them (disks, snapshots, orders, VMs). */
const SECONDARY_READS: Record<string, string[]> = {
  alibaba: ['DescribeInstanceAttribute', 'DescribeDisks', 'DescribeSnapshots'],
  baidu: ['ListInstances', 'ListRecycleInstances', 'ListVolumes', 'GetVolume', 'ListSnapshots', 'GetSnapshot'],
  huawei: [
    'ListCustomerResources',
    'ListCustomerOrders',
    'ShowCustomerAccountBalances',
    'ListServersOnDedicatedHost',
    'ShowResourceClusters',
    'ShowServer',
    'ShowJob',
    'ShowVolume',
    'ListSnapshots',
    'ShowSnapshot',
  ],
};
/** Retryable error answers, two per provider. */
const READ_ERRORS: Record<string, NonNullable<FaultSpec['error']>[]> = {
  alibaba: [{ code: 'Throttling.User' }, { code: 'ServiceUnavailable', httpStatus: 503 }],
  baidu: [
    { code: 'InternalError', httpStatus: 500 },
    { code: 'ServiceUnavailable', httpStatus: 503 },
  ],
  huawei: [
    { code: 'APIGW.0308', httpStatus: 429 },
    { code: 'SYS.0503', httpStatus: 503, message: 'Service temporarily unavailable.' },
  ],
};
/**
 * Error rates. A primary read fails about 26% of the time (two faults of 14%); a secondary one 2%, since a
 * single activity attempt fails if any of its reads does, and one attempt makes many: a Huawei rack inspection
 * reads 2 nodes, 3 billing queries, the account, its orders, 2 servers and 5 snapshot lists. 30% on each of
 * those would fail 99% of the attempts, and the release would spend its whole retry budget.
 */
const PRIMARY_RATE = 0.14;
const SECONDARY_RATE = 0.02;

function faultPlan(): FaultSpec[] {
  const faults: FaultSpec[] = [];
  for (const provider of SIM_PROVIDERS) {
    for (const action of PRIMARY_READS[provider]) for (const error of READ_ERRORS[provider]) faults.push({ provider, action, error, rate: PRIMARY_RATE });
    for (const [i, action] of SECONDARY_READS[provider].entries()) faults.push({ provider, action, error: READ_ERRORS[provider][i % 2], rate: SECONDARY_RATE });
    // Latency spikes on every call (reads and destructive ones): at most 1.8 s together.
    faults.push({ provider, latencyMs: 1_500, rate: 0.08 }, { provider, latencyMs: 300, rate: 0.25 });
  }
  faults.push(
    // The provider applied the call, the answer never arrived.
    { provider: 'alibaba', action: 'DeleteInstances', target: 'i-bp1stoppedpaygo01', dropResponse: true, times: 1 },
    { provider: 'huawei', action: 'DeleteDevServer', target: 'd0000001-0000-4000-8000-000000000001', dropResponse: true, times: 1 },
    { provider: 'huawei', action: 'UnsubscribeResources', dropResponse: true, times: 1 },
    { provider: 'huawei', action: 'DeleteServers', dropResponse: true, times: 1 },
    { provider: 'baidu', action: 'ReleaseInstance', dropResponse: true, times: 1 },
    // The provider applied the call, then answered a retryable error ("try later" to a call that took effect).
    { provider: 'alibaba', action: 'DeleteInstances', target: 'i-bp1runningpaygo02', error: { code: 'Throttling.User' }, applied: true, times: 1 },
    {
      provider: 'huawei',
      action: 'DeleteDevServer',
      target: 'd0000003-0000-4000-8000-000000000003',
      error: { code: 'SYS.0503', httpStatus: 503 },
      applied: true,
      times: 1,
    },
    { provider: 'huawei', action: 'ReleaseResources', error: { code: 'CBC.0999', httpStatus: 500 }, applied: true, times: 1 },
    { provider: 'baidu', action: 'ReleaseInstanceWithRelated', error: { code: 'InternalError', httpStatus: 500 }, applied: true, times: 1 },
    // A definite "try later" to a destructive call that was not applied: retried after a fresh status read.
    { provider: 'huawei', action: 'DeleteHyperinstance', error: { code: 'APIGW.0308', httpStatus: 429 }, times: 2 },
  );
  return faults;
}

/**
 * How each destructive attempt of a release ended, from its history: `completed`, `failed <type>`, or `timed out` with
 * the last heartbeat the server recorded (docs/destructive-calls.md: `maybe-sent` or not).
 */
async function destructiveAttempts(handle: WorkflowHandle): Promise<string[]> {
  const events = (await handle.fetchHistory().catch(() => undefined))?.events ?? [];
  const names = new Map<string, string>();
  const out: string[] = [];
  const details = (payloads?: { data?: Uint8Array | null }[] | null) => {
    const data = payloads?.[0]?.data;
    return data ? Buffer.from(data).toString('utf8') : 'no heartbeat';
  };
  for (const e of events) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled && /^(sendDestroy|deleteDisk|deleteSnapshot|submitVmDeletion)/.test(scheduled.activityType?.name ?? '')) {
      names.set(String(e.eventId), scheduled.activityType!.name!);
    }
    const closed = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes;
    const name = closed && names.get(String(closed.scheduledEventId));
    if (!name) continue;
    if (e.activityTaskCompletedEventAttributes) out.push(`${name} completed`);
    else if (e.activityTaskFailedEventAttributes)
      out.push(
        `${name} failed ${e.activityTaskFailedEventAttributes.failure?.cause?.applicationFailureInfo?.type ?? e.activityTaskFailedEventAttributes.failure?.applicationFailureInfo?.type ?? ''}`,
      );
    else out.push(`${name} timed out (${details(e.activityTaskTimedOutEventAttributes!.failure?.timeoutFailureInfo?.lastHeartbeatDetails?.payloads)})`);
  }
  return out;
}

/** An answer from an `applied` fault is flagged `injected` in the call log, yet the call took effect: it counts. */
function appliedCodes(faults: FaultSpec[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const f of faults) {
    if (!f.applied || !f.error || !f.action) continue;
    const key = `${f.provider}:${f.action}`;
    out.set(key, (out.get(key) ?? new Set()).add(f.error.code));
  }
  return out;
}

interface Ending {
  name: string;
  workflowId: string;
  expect: string;
  /** `released`, `dry-run`… for a completed run; the failure type for a failed one; or what else happened. */
  got: string;
  typed: boolean;
  report?: ReleaseReport;
  ms: number;
  detail?: string;
}

type Handle = WorkflowHandle<typeof releaseResource>;

interface DevServer {
  proc: ChildProcess;
  address: string;
  ports: { port: number; httpPort: number; metricsPort: number };
}

/**
 * The dev server, persisted in `dir` (SQLite, as the sandbox): SIGKILLed mid-run it comes back on the same ports
 * with every execution, timer and task where it was. `ports` restarts it on the ports it had.
 */
async function startDevServer(dir: string, ports?: DevServer['ports']): Promise<DevServer> {
  const cli = temporalCliPath();
  if (!cli) throw new Error('no Temporal CLI: set TEMPORAL_CLI_PATH or install Go (see the README)');
  const { port, httpPort, metricsPort } = ports ?? { port: await freePort(), httpPort: await freePort(), metricsPort: await freePort() };
  const log = openSync(join(dir, 'temporal.log'), 'a');
  // prettier-ignore
  const proc = spawn(cli, [
    'server', 'start-dev', '--ip', HOST, '--port', String(port), '--headless',
    '--http-port', String(httpPort), '--metrics-port', String(metricsPort), '--log-level', 'error',
    '--db-filename', join(dir, 'temporal.db'), ...DEV_SERVER_SQLITE_PRAGMAS, '--namespace', CLI_NAMESPACE,
    ...DEV_SERVER_DYNAMIC_CONFIG,
    ...SEARCH_ATTRIBUTES.flatMap((sa) => ['--search-attribute', `${sa.name}=${CLI_TYPE[sa.type]}`]),
  ], { stdio: ['ignore', log, log] });
  closeSync(log);
  const address = `${HOST}:${port}`;
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) throw new Error(`the Temporal dev server exited with code ${proc.exitCode} (log: ${join(dir, 'temporal.log')})`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await new Client({ connection }).workflowService.getSystemInfo({});
      } finally {
        await connection.close();
      }
      return { proc, address, ports: { port, httpPort, metricsPort } };
    } catch {
      await sleep(200);
    }
  }
  throw new Error('the Temporal dev server did not answer within a minute');
}

/** SIGKILL the server (no shutdown: as a crashed host), then start it again on its ports and database. */
async function crashAndRestart(dir: string, server: DevServer): Promise<DevServer> {
  const exited = new Promise((r) => server.proc.once('exit', r));
  server.proc.kill('SIGKILL');
  await exited;
  return startDevServer(dir, server.ports);
}

async function buildBundle(dir: string): Promise<string> {
  const noop = () => undefined;
  const { code } = await bundleWorkflowCode({
    ...workflowBundleOptions(),
    logger: { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop },
  });
  const path = join(dir, 'workflows.js');
  writeFileSync(path, code);
  return path;
}

/**
 * A history as text, every payload's bytes decoded (a secret inside a payload shows as itself). Walked by hand:
 * JSON.stringify would call the protobuf messages' toJSON, which turns bytes into base64.
 */
function historyText(history: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown, depth: number) => {
    if (depth > 64 || v === null || v === undefined) return;
    if (v instanceof Uint8Array) out.push(Buffer.from(v).toString('utf8'));
    else if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else if (typeof v === 'object') for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(history, 0);
  return out.join('\n');
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const seedText = process.env.FAULTS_SEED ?? String(DEFAULT_SEED);
  const seed = Number(seedText);
  if (!Number.isSafeInteger(seed)) throw new Error(`FAULTS_SEED must be an integer, got ${seedText}`);
  const rng = new Lcg(seed);
  const at = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  const say = (m: string) => console.log(`[faults ${at()}] ${m}`);
  say(`seed ${seed} (FAULTS_SEED), profile ${profileName} (FAULTS_PROFILE)`);

  const dir = mkdtempSync(join(tmpdir(), 'cloud-release-faults-'));
  let server: DevServer | undefined;
  let sims: RunningSimulators | undefined;
  let fleet: Fleet | undefined;
  let audit: AuditSchema | undefined;
  let client: Client | undefined;
  const emergency = (why: string) => {
    console.error(`[faults ${at()}] ${why}: killing everything`);
    fleet?.killAllNow();
    server?.proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    console.log('0 passed, 1 failed');
    process.exit(1);
  };
  setTimeout(() => emergency(`hard time limit of ${P.hardLimitMs / 1000}s reached`), P.hardLimitMs).unref();
  process.once('SIGINT', () => emergency('interrupted'));
  process.once('SIGTERM', () => emergency('terminated'));

  try {
    const [dev, bundlePath] = await Promise.all([startDevServer(dir), buildBundle(dir)]);
    server = dev;
    sims = await startSimulators({ host: HOST });
    const admin = new SimAdminClient(sims.endpoints.admin);
    await admin.reset(protectionFixture());
    const { config, env } = sandboxProviderConfig(sims.endpoints);
    const configPath = join(dir, 'providers.json');
    writeFileSync(configPath, JSON.stringify(config));
    say(`dev server ${dev.address}, simulators ${sims.endpoints.admin}, bundle built`);

    audit = await createAuditSchema('audit_faults');
    fleet = new Fleet(
      {
        ...process.env,
        ...env,
        CLOUD_RELEASE_AUDIT_DATABASE_URL: audit.url,
        TEMPORAL_ADDRESS: dev.address,
        TEMPORAL_NAMESPACE: NAMESPACE,
        CLOUD_RELEASE_WORKFLOW_BUNDLE: bundlePath,
        CLOUD_RELEASE_CONFIG: configPath,
        CLOUD_RELEASE_TASK_QUEUE: TASK_QUEUE,
      },
      dir,
      2,
    );
    client = new Client({ connection: await Connection.connect({ address: dev.address }), namespace: NAMESPACE });
    if (!(await fleet.allReady(60_000))) throw new Error(`the workers did not start (logs: ${fleet.logPaths.join(', ')})`);
    say('2 workers polling');

    const faults = faultPlan();
    for (const f of faults) await admin.injectFault(f);
    say(`${faults.length} faults injected`);

    // ---- The attack: releases, malformed inputs and update payloads, while workers are killed.
    const attackStart = Date.now();
    const deadline = t0 + P.releaseDeadlineMs;
    const endings: Promise<Ending[]>[] = [];
    const c = client;

    const runCase = async (rc: ReleaseCase): Promise<Ending[]> => {
      const began = Date.now();
      const expect = rc.expect;
      let handle: Handle;
      try {
        handle = rc.rawWorkflowId
          ? await c.workflow.start<typeof releaseResource>('releaseResource', { taskQueue: TASK_QUEUE, workflowId: rc.rawWorkflowId, args: [rc.request] })
          : await startRelease(c, rc.request, TASK_QUEUE);
      } catch (err) {
        return [{ name: rc.name, workflowId: '?', expect, got: 'start failed', typed: false, ms: Date.now() - began, detail: messageOf(err) }];
      }
      let steerError: string | undefined;
      const steered = rc.steer?.(handle).catch(async (err: unknown) => {
        steerError = messageOf(err);
        await handle.terminate(`fault suite: ${steerError}`).catch(() => undefined);
      });
      const e = await endingOf(handle, deadline);
      await steered;
      const detail = steerError ? `${steerError}; ${e.detail ?? ''}` : e.detail;
      const out: Ending[] = [{ name: rc.name, workflowId: handle.workflowId, expect, ms: Date.now() - began, ...e, detail }];
      if (rc.rawWorkflowId && e.got === 'delegated') {
        const canonical = c.workflow.getHandle<typeof releaseResource>(releaseWorkflowId(rc.request));
        const ce = await endingOf(canonical, deadline);
        out.push({ name: `${rc.name} (canonical)`, workflowId: canonical.workflowId, expect: 'released', ms: Date.now() - began, ...ce });
      }
      return out;
    };

    const bad = badInputs().filter((_, i) => i % P.badInputEvery === 0);
    const badResults: { name: string; workflowId: string; got: string; ms: number; detail?: string }[] = [];
    const runBad = async (i: number): Promise<void> => {
      const b = bad[i];
      const workflowId = `faults/bad-input/${String(i).padStart(3, '0')}`;
      const began = Date.now();
      try {
        const handle = await c.workflow.start('releaseResource', { taskQueue: TASK_QUEUE, workflowId, args: b.args as [ReleaseRequest] });
        const e = await endingOf(handle as Handle, Math.min(deadline, began + 90_000));
        badResults.push({ name: b.name, workflowId, got: e.got, ms: Date.now() - began, detail: e.detail });
      } catch (err) {
        badResults.push({ name: b.name, workflowId, got: 'start refused by the server', ms: Date.now() - began, detail: messageOf(err) });
      }
    };

    const serverRestarts: number[] = [];
    let restarted!: () => void;
    const afterRestart = new Promise<void>((r) => (restarted = r));
    const protection = protectionRun({ alibabaEndpoint: sims.endpoints.alibaba, serverUp: afterRestart }, P.sampleProtection);
    const releaseCases = [...P.releases, ...protection.cases];

    // The same inputs (one argument each) through the client, and through the CLI against a namespace of its own.
    const oneArgument = bad.filter((b) => b.args.length === 1);
    const viaCli = badInputs()
      .filter((b) => b.args.length === 1)
      .filter((_, i) => i % P.cliEvery === 0);
    let clientResults: InputResult[] = [];
    let cliResults: CliResult[] = [];
    const cliTarget = { address: dev.address, namespace: CLI_NAMESPACE, taskQueue: TASK_QUEUE, dir };

    // The run plan, from the seed: when each release and each batch of malformed inputs starts.
    const schedule: { at: number; run: () => void }[] = [];
    const runClientPath = async () => {
      clientResults = await runClientInputs(c, oneArgument, TASK_QUEUE, deadline);
      say(`bad inputs through the client done (${clientResults.length})`);
      return [];
    };
    for (const rc of rng.shuffle(releaseCases)) schedule.push({ at: rng.between(500, P.startWindowMs), run: () => endings.push(runCase(rc)) });
    const badOrder = rng.shuffle(bad.map((_, i) => i));
    for (let k = 0; k < badOrder.length; k += 8) {
      const batch = badOrder.slice(k, k + 8);
      schedule.push({ at: rng.between(1_000, P.startWindowMs), run: () => endings.push(Promise.all(batch.map(runBad)).then(() => [])) });
    }
    schedule.sort((a, b) => a.at - b.at);

    const updates = badUpdates();
    const updateOutcome = { tried: 0, rejected: 0, accepted: [] as string[], unanswered: [] as string[], intact: false, detail: '' };
    const updateAttack = (async () => {
      const handle = await startRelease(c, WAITING_RELEASE, TASK_QUEUE);
      const until = Date.now() + 90_000;
      for (;;) {
        const phase = await progress(handle).then(
          (p) => p.phase,
          () => undefined,
        );
        if (phase === 'confirm') break;
        if (Date.now() > until) throw new Error(`the waiting release never reached the confirm phase (last: ${phase})`);
        await sleep(300);
      }
      // Sent once the server is back: an update refused by a server that is down says nothing about the payload.
      await afterRestart;
      for (const u of updates) {
        updateOutcome.tried++;
        const sent = u.args.length === 0 ? handle.executeUpdate(u.update) : handle.executeUpdate(u.update, { args: u.args as [unknown, ...unknown[]] });
        try {
          await withTimeout(sent, 45_000, `update ${u.name}`);
          updateOutcome.accepted.push(u.name);
        } catch (err) {
          if (err instanceof WorkflowUpdateFailedError) updateOutcome.rejected++;
          else if (err instanceof TimeoutError) updateOutcome.unanswered.push(u.name);
          // Refused before the workflow (the server's own limits) is a rejection too, as long as nothing changed.
          else {
            updateOutcome.rejected++;
            updateOutcome.detail += `${u.name}: refused by the server (${messageOf(err).slice(0, 80)}); `;
          }
        }
      }
      const p = await progress(handle);
      const { status } = await handle.describe();
      updateOutcome.intact = status.name === 'RUNNING' && p.phase === 'confirm' && p.approvals.length === 0 && !p.destructiveCallMade;
      if (!updateOutcome.intact) updateOutcome.detail += `after the payloads: ${status.name}, phase ${p.phase}, approvals ${p.approvals.length}; `;
      await handle.terminate('fault suite: done with the update payloads');
    })().catch((err: unknown) => {
      updateOutcome.detail += `update attack: ${messageOf(err)}`;
    });

    const killer = (async () => {
      await sleep(2_000);
      for (;;) {
        const elapsed = Date.now() - attackStart;
        if ((fleet.kills >= P.minKills && elapsed >= P.killWindowMs) || elapsed >= P.killWindowMaxMs) return;
        await sleep(rng.between(2_000, 5_500));
        const ready = fleet.slots.map((s, i) => (s.ready ? i : -1)).filter((i) => i >= 0);
        // Usually one of two; now and then the last one standing (a short full outage).
        const victim = ready.length >= 2 ? ready[rng.int(ready.length)] : ready.length === 1 && rng.chance(0.25) ? ready[0] : undefined;
        if (victim !== undefined) await fleet.kill(victim, true);
      }
    })();

    for (const s of schedule) {
      await sleep(attackStart + s.at - Date.now());
      s.run();
    }
    say(
      `everything started: ${releaseCases.length} releases, ${bad.length} malformed inputs (${oneArgument.length} through the client, ${viaCli.length} through the CLI), 1 release for the update payloads`,
    );
    // The server crashes once, with releases at gates, timers and in activities, workers being killed around it.
    await sleep(rng.between(500, 4_000));
    const down = Date.now();
    server = await crashAndRestart(dir, server);
    serverRestarts.push(Date.now() - down);
    restarted();
    say(`Temporal server SIGKILLed and restarted (${((Date.now() - down) / 1000).toFixed(1)}s down)`);
    await killer;
    say(`kills done: ${fleet.kills}; restarting whatever is down, bad inputs through the client and the CLI`);
    // After the kills (the raw path has the refusals under kills): the CLI's processes and the client path's
    // runs would starve the workers' restarts, and the CLI refuses before it connects.
    endings.push(runClientPath());
    const cliPath = async () => {
      cliResults = await runCliInputs(viaCli, cliTarget, CLI_CONCURRENCY);
      say(`bad inputs through the CLI done (${cliResults.length})`);
      return [];
    };
    endings.push(cliPath());
    await fleet.allReady(30_000);
    const allEndings = (await Promise.all(endings)).flat();
    await updateAttack;
    say('every release has ended (or its deadline passed)');

    // ---- The evidence.
    await fleet.stop();
    const calls: CallRecord[] = await admin.calls();
    const activeFaults = await admin.faults();
    const state = await admin.state<Record<string, Record<string, unknown>>>();
    const applied = appliedCodes(faults);

    // Destructive calls per resource: calls that reached the API (not answered by an injected fault without effect).
    const perTarget = destructiveCallsPerResource(
      calls,
      (call) => call.errorCode !== undefined && !!applied.get(`${call.provider}:${call.action}`)?.has(call.errorCode),
    );
    const maxPerTarget = Math.max(0, ...perTarget.values());
    const repeated = [...perTarget].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
    const destructiveTotal = [...perTarget.values()].reduce((a, b) => a + b, 0);
    const badTouched = calls.filter((call) => BAD_INPUT_TARGETS.some((id) => (call.target ?? '').split(',').includes(id)));

    // Every released report against the provider's state.
    // A release that ended ReleaseVerificationMismatch because a verification read got a retryable error: the
    // resource was released, so its report is compared with the state too (it shows whether anything differed).
    const unreadVerification = (e: Ending) =>
      e.got === ReleaseFailureType.verificationMismatch &&
      (e.report?.verification?.discrepancies ?? []).length > 0 &&
      e.report!.verification!.discrepancies.every((d) => d.includes('could not be read'));
    const mismatches = reportMismatches(
      allEndings.flatMap((e) => ((e.got === 'released' || unreadVerification(e)) && e.report ? [{ workflowId: e.workflowId, report: e.report }] : [])),
      state,
    );

    // The audit trail: every release and every refused input that ended has its record, once (the key is the run).
    const store = new PgAuditStore(audit.url, 1);
    const recorded = new Set((await store.query({ limit: 1000 })).map((r) => r.workflowId));
    await store.close();
    const ended = [
      ...allEndings.filter((e) => e.typed && e.got !== 'terminated'),
      ...[...badResults, ...clientResults].filter((b) => b.got === ReleaseFailureType.invalidRequest),
    ];
    const unrecorded = ended.filter((e) => !recorded.has(e.workflowId)).map((e) => e.workflowId);

    // Histories: credentials, workflow-task failures.
    const secrets = new Set<string>();
    for (const p of SIM_PROVIDERS) secrets.add(simKey(defaultFixture(), p).secretAccessKey);
    for (const p of SIM_PROVIDERS) {
      for (const k of (defaultFixture()[p] as { accessKeys?: { secretAccessKey?: string; accessKeySecret?: string }[] }).accessKeys ?? [])
        for (const s of [k.secretAccessKey, k.accessKeySecret]) if (s) secrets.add(s);
    }
    const needles = [...secrets, 'SDK-HMAC-SHA256', 'bce-auth-v1/', 'ACS3-HMAC-SHA256 Credential'];
    const credentialHits: string[] = [];
    const scan = (where: string, text: string) => {
      for (const n of needles) if (text.includes(n)) credentialHits.push(`${where}: ${secrets.has(n) ? 'a simulated secret key' : n}`);
    };
    const executions: { workflowId: string; runId: string }[] = [];
    for await (const wf of c.workflow.list()) executions.push({ workflowId: wf.workflowId, runId: wf.runId });
    let decodedHistories = 0;
    let taskFailures = 0;
    let taskTimeouts = 0;
    const taskFailureRuns: string[] = [];
    for (let i = 0; i < executions.length; i += 8) {
      await Promise.all(
        executions.slice(i, i + 8).map(async ({ workflowId, runId }) => {
          const history = await c.workflow.getHandle(workflowId, runId).fetchHistory();
          const events = history.events ?? [];
          const failed = events.filter((e) => e.workflowTaskFailedEventAttributes != null).length;
          taskTimeouts += events.filter((e) => e.workflowTaskTimedOutEventAttributes != null).length;
          if (failed > 0) taskFailureRuns.push(`${workflowId} ×${failed}`);
          taskFailures += failed;
          const text = historyText(history);
          // The scan must see decoded payloads: every release's input names its requester.
          if (text.includes('alice@platform')) decodedHistories++;
          scan(`history ${workflowId}`, text);
        }),
      );
    }
    // Requests our own rate limit refused (not sent, retried): docs/rate-limits.md. Counted from the workers' logs.
    const limitRefusals = new Map<string, number>();
    for (const path of fleet.logPaths) {
      const text = readFileSync(path, 'utf8');
      scan(`log ${path}`, text);
      for (const m of text.matchAll(/RateLimit\.(\w+)/g)) limitRefusals.set(m[1], (limitRefusals.get(m[1]) ?? 0) + 1);
    }

    // The client and CLI paths: how each input was refused; nothing under the CLI's canonical IDs, nothing in its namespace.
    const clientWrong = clientResults.filter((r) => !clientRefused(r));
    const cliClient = new Client({ connection: c.connection, namespace: CLI_NAMESPACE });
    const cliStarted = await startedUnder(
      cliClient,
      cliResults.flatMap((r) => (r.canonicalId ? [r.canonicalId] : [])),
    );
    for await (const wf of cliClient.workflow.list()) cliStarted.push(`${wf.workflowId} (in ${CLI_NAMESPACE})`);
    const cliWrong = cliResults.filter((r) => r.exitCode !== 2 || r.fieldErrors === 0);
    const protectionVerdicts = protection.verdicts(allEndings, calls);

    // ---- The figures.
    const releases = allEndings;
    const byOutcome = new Map<string, number>();
    for (const e of [...releases, ...badResults]) byOutcome.set(e.got, (byOutcome.get(e.got) ?? 0) + 1);
    const notEnded = releases.filter((e) => e.got === 'not-ended');
    // Where a release that did not end stands: its phase, what it waits for, its pending activities.
    const stuck = await Promise.all(
      notEnded.map(async (e) => {
        const h = c.workflow.getHandle<typeof releaseResource>(e.workflowId);
        const d = await h.describe().catch((err: unknown) => ({ error: messageOf(err) }));
        const p = await progress(h).catch(() => undefined);
        const pending =
          'raw' in d ? (d.raw.pendingActivities ?? []).map((a) => `${a.activityType?.name} attempt ${a.attempt} ${a.lastFailure?.message ?? ''}`.trim()) : [];
        return `${e.workflowId}: ${'status' in d ? d.status.name : d.error}, phase ${p?.phase ?? '?'}${p?.waitingFor ? `, waiting for ${p.waitingFor}` : ''}; pending: ${pending.join('; ') || 'none'}; destructive attempts: ${(await destructiveAttempts(h)).join(', ') || 'none'}`;
      }),
    );
    // Each release's destructive attempts, from its history: those whose worker was killed around the send fence.
    const attempts = new Map(
      await Promise.all(releases.map(async (e) => [e.workflowId, await destructiveAttempts(c.workflow.getHandle(e.workflowId))] as const)),
    );
    const timedOut = (stage: 'maybe-sent' | 'unsent') =>
      releases.filter((e) => (attempts.get(e.workflowId) ?? []).some((a) => a.includes('timed out') && a.includes('maybe-sent') === (stage === 'maybe-sent')));
    const killedBeforeFence = timedOut('unsent');
    const killedAfterFence = timedOut('maybe-sent');
    // DestructiveOutcomeUnknown is the right ending of a release that would have been released (or seen DELETE_FAILED)
    // only where an attempt may have sent its request and no answer came: killed after "maybe sent".
    const mayBeUnknown = new Set(killedAfterFence.map((e) => e.workflowId));
    const okEnding = (e: Ending) =>
      e.got === e.expect ||
      ((e.expect === 'released' || e.expect === 'DeleteFailed') && e.got === ReleaseFailureType.outcomeUnknown && mayBeUnknown.has(e.workflowId));
    const unexpected = releases.filter((e) => !okEnding(e) && !(e.expect === 'released' && unreadVerification(e)));
    const falseMismatches = releases.filter((e) => e.expect === 'released' && unreadVerification(e));
    const untyped = [...releases.filter((e) => !e.typed && e.got !== 'not-ended')];
    const badRejected = badResults.filter((b) => b.got === ReleaseFailureType.invalidRequest && b.ms <= BAD_INPUT_MAX_MS);
    const badSlow = badResults.filter((b) => b.got === ReleaseFailureType.invalidRequest && b.ms > BAD_INPUT_MAX_MS);
    const badWrong = badResults.filter((b) => b.got !== ReleaseFailureType.invalidRequest);
    const badMaxMs = Math.max(0, ...badResults.map((b) => b.ms));
    const faultHits = activeFaults.reduce((a, f) => a + f.hits, 0);
    const injectedAnswers = calls.filter((call) => call.injected).length;
    const droppedAnswers = calls.filter((call) => call.dropped).length;

    console.log('');
    console.log(
      `Fault suite (${profileName}), seed ${seed}: ${releases.length} releases, ${fleet.kills} worker kills, ${((Date.now() - t0) / 1000).toFixed(0)}s`,
    );
    console.log('');
    console.log(`  releases by ending: ${[...byOutcome].map(([k, n]) => `${k} ${n}`).join(', ')}`);
    for (const e of releases) console.log(`    ${e.got === e.expect ? ' ' : '!'} ${e.name.padEnd(40)} ${e.got.padEnd(26)} ${(e.ms / 1000).toFixed(1)}s`);
    console.log(
      `  Temporal server: ${serverRestarts.length} SIGKILL and restart (${serverRestarts.map((ms) => `${(ms / 1000).toFixed(1)}s down`).join(', ')})`,
    );
    console.log(`  worker processes: ${fleet.spawns} started, ${fleet.kills} SIGKILLed, ${fleet.unexpectedExits.length} exited by themselves`);
    for (const x of fleet.unexpectedExits) console.log(`    ${x}`);
    console.log(
      `  faults: ${faults.length} injected, ${faultHits} hits; ${injectedAnswers} injected answers, ${droppedAnswers} dropped answers; ${calls.length} provider calls`,
    );
    // docs/destructive-calls.md: attempts whose worker died before the send fence are made again; after it, watched.
    const names = (es: Ending[]) => (es.length ? ` (${es.map((e) => e.name).join(', ')})` : '');
    console.log(`  destructive calls: ${destructiveTotal} over ${perTarget.size} resources`);
    console.log(`  destructive attempts timed out before "maybe sent" (never sent, made again): ${killedBeforeFence.length}${names(killedBeforeFence)}`);
    console.log(`  destructive attempts timed out after "maybe sent" (maybe made, never repeated): ${killedAfterFence.length}${names(killedAfterFence)}`);
    console.log(
      `  histories scanned: ${executions.length}, ${decodedHistories} with readable payloads (workflow task timeouts, from kills: ${taskTimeouts}); worker logs: ${fleet.logPaths.length}`,
    );
    console.log(`  rate-limit refusals in worker logs: ${[...limitRefusals].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
    console.log(`  malformed inputs, raw start: ${bad.length}, slowest refusal ${(badMaxMs / 1000).toFixed(1)}s`);
    const clientBeforeStart = clientResults.filter((r) => clientRefused(r) && r.got !== ReleaseFailureType.invalidRequest);
    console.log(
      `  malformed inputs, client: ${clientResults.length}, ${clientResults.length - clientWrong.length - clientBeforeStart.length} ended InvalidReleaseRequest, ${clientBeforeStart.length} never started:`,
    );
    for (const r of clientBeforeStart) console.log(`    ${r.name}: ${r.got} (${(r.detail ?? '').slice(0, 100)})`);
    const via = (v: CliResult['via']) => cliResults.filter((r) => r.via === v).length;
    console.log(
      `  malformed inputs, CLI: ${cliResults.length} processes (${via('argument')} --input, ${via('file')} --input-file, ${via('stdin')} stdin), slowest ${(Math.max(0, ...cliResults.map((r) => r.ms)) / 1000).toFixed(1)}s`,
    );
    for (const line of protectionVerdicts.lines) console.log(line);
    console.log('');

    const invariants: Invariant[] = [
      { figure: 'worker kills (SIGKILL)', value: String(fleet.kills), required: `>= ${P.minKills}`, ok: fleet.kills >= P.minKills },
      { figure: 'Temporal server restarts (SIGKILL)', value: String(serverRestarts.length), required: '>= 1', ok: serverRestarts.length >= 1 },
      { figure: 'fault hits (GET /admin/faults)', value: String(faultHits), required: '>= 20', ok: faultHits >= 20 },
      {
        figure: 'releases not ended by the deadline',
        value: String(notEnded.length),
        required: '0',
        ok: notEnded.length === 0,
        why: stuck,
      },
      {
        figure: 'releases with an unexpected ending',
        value: String(unexpected.length),
        required: '0',
        ok: unexpected.length === 0,
        why: unexpected.map((e) => `${e.workflowId}: expected ${e.expect}, got ${e.got}${e.detail ? ` (${e.detail.slice(0, 160)})` : ''}`),
      },
      {
        figure: 'released, yet failed: a verification read got a retryable error',
        value: String(falseMismatches.length),
        required: '0',
        ok: falseMismatches.length === 0,
        why: falseMismatches.flatMap((e) => [`${e.workflowId}:`, ...e.report!.verification!.discrepancies.map((d) => `  ${d.slice(0, 200)}`)]),
      },
      {
        figure: `bad inputs rejected as InvalidReleaseRequest (<= ${BAD_INPUT_MAX_MS / 1000}s)`,
        value: `${badRejected.length}/${bad.length}`,
        required: `${bad.length}/${bad.length}`,
        ok: badRejected.length === bad.length && bad.length >= P.minBadInputs,
        why: [
          ...badWrong.map((b) => `${b.name} (${b.workflowId}): ${b.got}${b.detail ? ` (${b.detail.slice(0, 160)})` : ''}`),
          ...badSlow.map((b) => `${b.name}: refused after ${(b.ms / 1000).toFixed(1)}s`),
        ],
      },
      {
        figure: 'bad inputs through the client refused',
        value: `${clientResults.length - clientWrong.length}/${oneArgument.length}`,
        required: `${oneArgument.length}/${oneArgument.length}`,
        ok: clientWrong.length === 0 && clientResults.length === oneArgument.length,
        why: clientWrong.map((r) => `${r.name} (${r.workflowId.slice(0, 80)}): ${r.got}${r.detail ? ` (${r.detail.slice(0, 160)})` : ''}`),
      },
      {
        figure: 'bad inputs through the CLI: exit 2, field errors',
        value: `${cliResults.length - cliWrong.length}/${viaCli.length}`,
        required: `${viaCli.length}/${viaCli.length}`,
        ok: cliWrong.length === 0 && cliResults.length === viaCli.length,
        why: cliWrong.map((r) => `${r.name} (${r.via}): exit ${r.exitCode}, ${r.fieldErrors} field errors: ${r.detail ?? ''}`),
      },
      {
        figure: 'workflows started by the CLI’s bad inputs',
        value: String(cliStarted.length),
        required: '0',
        ok: cliStarted.length === 0,
        why: cliStarted,
      },
      ...protectionVerdicts.invariants,
      {
        figure: 'provider calls for the bad inputs’ resources',
        value: String(badTouched.length),
        required: '0',
        ok: badTouched.length === 0,
        why: badTouched.map((call) => `${call.provider} ${call.action} ${call.target}`),
      },
      {
        figure: 'bad update payloads rejected',
        value: `${updateOutcome.rejected}/${updates.length}`,
        required: `${updates.length}/${updates.length}`,
        ok: updateOutcome.rejected === updates.length && updateOutcome.tried === updates.length && updateOutcome.intact,
        why: [
          ...updateOutcome.accepted.map((n) => `accepted: ${n}`),
          ...updateOutcome.unanswered.map((n) => `no answer: ${n}`),
          ...(updateOutcome.detail ? [updateOutcome.detail] : []),
        ],
      },
      {
        figure: 'max destructive calls per resource',
        value: String(maxPerTarget),
        required: '<= 1',
        ok: maxPerTarget <= 1 && destructiveTotal > 0,
        why: repeated,
      },
      { figure: 'reports that differ from the final state', value: String(mismatches.length), required: '0', ok: mismatches.length === 0, why: mismatches },
      {
        figure: 'credential hits (histories, worker logs)',
        value: String(credentialHits.length),
        required: '0',
        ok: credentialHits.length === 0 && decodedHistories > 0,
        why: decodedHistories > 0 ? credentialHits : ['no history payload could be read: the scan saw nothing'],
      },
      {
        figure: 'ended runs without their audit record',
        value: `${unrecorded.length}/${ended.length}`,
        required: `0/${ended.length}`,
        ok: unrecorded.length === 0 && ended.length > 0,
        why: unrecorded,
      },
      { figure: 'WorkflowTaskFailed events', value: String(taskFailures), required: '0', ok: taskFailures === 0, why: taskFailureRuns },
      {
        figure: 'untyped endings',
        value: String(untyped.length),
        required: '0',
        ok: untyped.length === 0,
        why: untyped.map((e) => `${e.workflowId}: ${e.got}`),
      },
    ];
    const w = Math.max(...invariants.map((i) => i.figure.length));
    console.log(`  ${'invariant'.padEnd(w)}  ${'value'.padStart(7)}  ${'required'.padStart(8)}`);
    for (const i of invariants) {
      console.log(`  ${i.figure.padEnd(w)}  ${i.value.padStart(7)}  ${i.required.padStart(8)}  ${i.ok ? 'ok' : 'FAILED'}`);
      if (!i.ok) for (const line of (i.why ?? []).slice(0, 20)) console.log(`      ${line}`);
    }
    const passed = invariants.filter((i) => i.ok).length;
    const failed = invariants.length - passed;
    console.log('');
    console.log(`${passed} passed, ${failed} failed`);
    return failed === 0 ? 0 : 1;
  } finally {
    await fleet?.stop().catch(() => undefined);
    await audit?.drop().catch(() => undefined);
    await client?.connection.close().catch(() => undefined);
    await sims?.close().catch(() => undefined);
    if (server && server.proc.exitCode === null) {
      const proc = server.proc;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await withTimeout(exited, 10_000, 'dev server stop').catch(() => proc.kill('SIGKILL'));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`faults: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
