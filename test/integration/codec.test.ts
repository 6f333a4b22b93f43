// Payload encryption end to end: a dev server of this file's own whose Web UI uses the codec server
// (`--ui-codec-endpoint`), a worker with the codec, a real release against the simulators. The history as the
// server keeps it holds ciphertext only; the codec server (over HTTP) and the Web UI (in Chromium) show it decoded.
import { Client } from '@temporalio/client';
import { METADATA_ENCODING_KEY, type DataConverter, type Payload } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codecFromEnv, ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../common/codec';
import { SEARCH_ATTRIBUTES } from '../../common/temporal';
import type { ReleaseReport } from '../../domain/report';
import { releaseWorkflowId, type ReleaseRequest } from '../../domain/request';
import { parseConfig } from '../../providers/config';
import { createAdapters } from '../../providers/registry';
import { startCodecServer, type RunningCodecServer } from '../../scripts/codec-server';
import { DEV_SERVER_DYNAMIC_CONFIG, temporalCliPath } from '../../scripts/dev-server';
import { startSimulators, type RunningSimulators } from '../../simulators/runtime';
import { sandboxProviderConfig } from '../../simulators/sandbox-config';
import { createWorkers, installRuntime } from '../../workers';
import type { releaseResource } from '../../workflows';
import { withBrowser } from './browser';
import { freePort } from '../../scripts/faults/support';

const key = () => randomUUID().replaceAll('-', ''); // 32 bytes of ASCII, base64-encoded below
const KEYS = `old=${Buffer.from(key()).toString('base64')},new=${Buffer.from(key()).toString('base64')}`;
const ticket = `CHG-${randomUUID()}`; // in the input and the memo only: any plaintext of it is a leak
const input = { ...(JSON.parse(readFileSync(join(__dirname, '../../examples/baidu-bcc.json'), 'utf8')) as ReleaseRequest), ticket };
const workflowId = releaseWorkflowId(input);

/** Every payload of a history, outside search attributes (indexed by the server, so never encoded) and headers. */
function payloadsOf(node: unknown, found: Payload[] = []): Payload[] {
  if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return found;
  const payload = node as Payload;
  if (payload.data instanceof Uint8Array && payload.metadata && typeof payload.metadata === 'object') found.push(payload);
  else for (const [k, v] of Object.entries(node)) if (k !== 'searchAttributes' && k !== 'header') payloadsOf(v, found);
  return found;
}
const text = (b: Uint8Array | null | undefined) => Buffer.from(b ?? []).toString('utf8');
const toJSON = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

describe('payload encryption', () => {
  // The worker encrypts with "new"; the client starting the release has not been rotated yet and still uses "old".
  const workerCodec = codecFromEnv({ CLOUD_RELEASE_CODEC_KEYS: KEYS, CLOUD_RELEASE_CODEC_KEY_ID: 'new' })!;
  const clientConverter: DataConverter = { payloadCodecs: [codecFromEnv({ CLOUD_RELEASE_CODEC_KEYS: KEYS })!] };
  const taskQueue = `codec-${randomUUID()}`;
  let env: TestWorkflowEnvironment;
  let codecServer: RunningCodecServer;
  let sims: RunningSimulators;
  let workers: Worker[] = [];
  let running: Promise<unknown>;
  let uiOrigin: string;
  let runId: string;
  let report: ReleaseReport;

  beforeAll(async () => {
    installRuntime('WARN');
    const uiPort = await freePort();
    uiOrigin = `http://127.0.0.1:${uiPort}`;
    codecServer = await startCodecServer({ codec: workerCodec, port: 0, origins: [uiOrigin] });
    const cli = temporalCliPath();
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: cli ? { type: 'existing-path', path: cli } : undefined,
        searchAttributes: SEARCH_ATTRIBUTES,
        ui: true,
        uiPort,
        extraArgs: [...DEV_SERVER_DYNAMIC_CONFIG, '--ui-codec-endpoint', codecServer.url],
      },
    });
    sims = await startSimulators();
    const { config, env: credentials } = sandboxProviderConfig(sims.endpoints);
    const { adapters } = createAdapters(parseConfig(config, 'test'), credentials);
    workers = await createWorkers({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue,
      deps: { adapters },
      workflowBundle: { codePath: inject('workflowBundlePath') },
      dataConverter: { payloadCodecs: [workerCodec] },
    });
    running = Promise.all(workers.map((w) => w.run()));

    const client = new Client({ connection: env.connection, dataConverter: clientConverter });
    const handle = await client.workflow.start<typeof releaseResource>('releaseResource', { taskQueue, workflowId, args: [input] });
    runId = handle.firstExecutionRunId;
    report = await handle.result();
  });
  afterAll(async () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    await running;
    await env?.teardown();
    await sims?.close();
    await codecServer?.close();
  });

  async function rawHistory() {
    // The connection's own client has no codec: this is what the server stores and what anyone reading it sees.
    const events = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await env.connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId, runId }, nextPageToken });
      events.push(...(page.history?.events ?? []));
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    return events;
  }

  it('a release runs with the codec; its history holds only binary/encrypted payloads, no plaintext', async () => {
    expect(report.outcome).toBe('released'); // decoded by the client: the codec is transparent to the code
    const events = await rawHistory();
    // The SDK writes its patch markers (the patch IDs: `patched('release-v4')`…) itself, not through the codec.
    const patchMarkers = events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch');
    expect(patchMarkers.map((e) => text(e.markerRecordedEventAttributes!.details!['patch-data'].payloads![0].data))).toEqual([
      '{"id":"release-v4","deprecated":false}',
    ]);
    // The local activities' markers: their results are the worker's (encrypted); their metadata (activity ID, attempt,
    // time, under `data`) the SDK's.
    const laMarkers = events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
    // Validation and the audit record.
    expect(laMarkers).toHaveLength(2);
    const laMeta = laMarkers.flatMap((m) => m.markerRecordedEventAttributes!.details!.data.payloads!);
    for (const p of laMeta) {
      expect(text(p.data)).not.toContain(input.resourceId);
      expect(text(p.data)).not.toContain(ticket);
    }
    const payloads = payloadsOf(events.filter((e) => !patchMarkers.includes(e))).filter((p) => !laMeta.includes(p));
    expect(payloads.length).toBeGreaterThan(10); // input, memo, activity inputs and results, the result
    for (const p of payloads) {
      expect(text(p.metadata?.[METADATA_ENCODING_KEY])).toBe(ENCRYPTED_ENCODING);
      expect(text(p.data)).not.toContain(input.resourceId);
      expect(text(p.data)).not.toContain(ticket);
    }
    // The unrotated client's input is under "old", everything the worker wrote under "new": both decode.
    const started = events[0].workflowExecutionStartedEventAttributes!;
    expect(text(started.input!.payloads![0].metadata![KEY_ID_METADATA])).toBe('old');
    expect(
      new Set(
        payloadsOf(events.slice(1).filter((e) => !patchMarkers.includes(e)))
          .filter((p) => !laMeta.includes(p))
          .map((p) => text(p.metadata?.[KEY_ID_METADATA])),
      ),
    ).toEqual(new Set(['new']));
    // Outside payloads: the ticket (in no search attribute) appears nowhere in the history.
    expect(JSON.stringify(events)).not.toContain(ticket);
  });

  it('the codec server decodes that history over HTTP, as the Web UI asks it to', async () => {
    const events = await rawHistory();
    const decode = async (payloads: Payload[]) => {
      const res = await fetch(`${codecServer.url}/decode`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', Origin: uiOrigin },
        body: JSON.stringify({ payloads: payloads.map(toJSON) }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(uiOrigin);
      const body = (await res.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
      return body.payloads.map((p) => ({
        encoding: Buffer.from(p.metadata.encoding, 'base64').toString(),
        value: JSON.parse(Buffer.from(p.data, 'base64').toString()) as unknown,
      }));
    };
    const [startInput] = await decode(events[0].workflowExecutionStartedEventAttributes!.input!.payloads!);
    expect(startInput).toEqual({ encoding: 'json/plain', value: input });
    const completed = events.find((e) => e.workflowExecutionCompletedEventAttributes)!.workflowExecutionCompletedEventAttributes!;
    const [result] = await decode(completed.result!.payloads!);
    expect(result.value).toMatchObject({ outcome: 'released', workflowId });
    const all = await decode(payloadsOf(events.filter((e) => !e.markerRecordedEventAttributes)));
    expect(all.every((p) => p.encoding === 'json/plain')).toBe(true);
  });

  it("the Web UI shows the workflow's input decoded through the codec server", { timeout: 120_000 }, async () => {
    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      page.setDefaultTimeout(30_000);
      const decodes: string[] = [];
      page.on('request', (r) => {
        if (r.url() === `${codecServer.url}/decode` && r.method() === 'POST') decodes.push(r.headers()['x-namespace'] ?? '');
      });
      await page.goto(`${uiOrigin}/namespaces/default/workflows/${encodeURIComponent(workflowId)}/${runId}/history`);
      await page.getByRole('heading', { level: 1, name: workflowId }).waitFor();
      // The ticket is only in the encrypted input (and memo): the UI can show it only through the codec server.
      await page.getByRole('main').getByText(`"ticket": "${ticket}"`).first().waitFor();
      await page.getByRole('main').getByText('"outcome": "released"').first().waitFor();
      expect(decodes.length).toBeGreaterThan(0);
      expect(decodes).toContain('default');
      await page.screenshot({ path: join(tmpdir(), 'cloud-release-codec-ui.png'), fullPage: true });
    });
  });
});
