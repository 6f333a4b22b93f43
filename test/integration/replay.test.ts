// Replays every recorded history against today's workflow code: a change that would break a running release
// (non-determinism) fails here. test/histories/*.json were recorded on v1 (before the `release-v2` patch),
// test/histories/v2/ on v2, test/histories/v3/ on v3 (the `release-v3` patch), test/histories/v4/ on v4 (`release-v4`). `RECORD_HISTORIES=1 npm test` adds histories of the current version; it never
// overwrites one, and none is ever deleted: each is the proof that executions of its version still replay.
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { SIM_PROVIDERS, defaultFixture } from '../../simulators/runtime';
import { simKey } from '../../simulators/sandbox-config';
import { BATCH_AUDIT_RECORD_PATCH, BATCH_DESCRIBED_CHILDREN_PATCH } from '../../workflows/batch-release';
import { AUDIT_RECORD_PATCH, RELEASE_V2_PATCH, RELEASE_V3_PATCH, RELEASE_V4_PATCH } from '../../workflows/release-resource';

const dir = join(__dirname, '..', 'histories');
const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));

describe('replay of recorded releases', () => {
  it.skipIf(process.env.RECORD_HISTORIES)('has recorded histories to replay', () => {
    expect(files.filter((f) => !f.includes('/')).length).toBeGreaterThanOrEqual(40);
    expect(files.filter((f) => f.startsWith('v2/')).length).toBeGreaterThanOrEqual(20);
    expect(files.filter((f) => f.startsWith('v3/')).length).toBeGreaterThanOrEqual(20);
    expect(files.filter((f) => f.startsWith('v4/')).length).toBeGreaterThanOrEqual(20);
    expect(files.filter((f) => f.startsWith('batch/')).length).toBeGreaterThanOrEqual(10);
  });

  it.skipIf(process.env.RECORD_HISTORIES)('no credential of the simulated clouds appears in any recorded history', () => {
    const fixture = defaultFixture();
    const secrets = SIM_PROVIDERS.map((p) => simKey(fixture, p).secretAccessKey);
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      for (const secret of secrets) expect(text.includes(secret), `${f} contains a secret`).toBe(false);
      expect(text).not.toMatch(/SDK-HMAC-SHA256|bce-auth-v1\/|ACS3-HMAC-SHA256 Credential/);
    }
  });

  it.skipIf(process.env.RECORD_HISTORIES)('each history is of the version its folder says: v2 and v3 ones carry their patch marker first, v1 ones none', () => {
    const patches = (f: string) => {
      const { history } = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
        history: { events: { markerRecordedEventAttributes?: { markerName: string; details: Record<string, { payloads: { data: string }[] }> } }[] };
      };
      return history.events.flatMap((e) => {
        const m = e.markerRecordedEventAttributes;
        if (m?.markerName !== 'core_patch') return [];
        return Object.values(m.details).flatMap((d) =>
          d.payloads.map((p) => (JSON.parse(Buffer.from(p.data, 'base64').toString('utf8')) as { id: string }).id),
        );
      });
    };
    // Per folder: v2/ releases carry release-v2 first, v3/ ones release-v3, v4/ ones release-v4 (and nothing else); after the first (and in
    // batch/) only the later patches of that workflow type, each carried by some history so that every patched branch
    // is replayed; v1 releases (top level) and sweeps none.
    const FIRST: Record<string, string[]> = { v2: [RELEASE_V2_PATCH], v3: [RELEASE_V3_PATCH], v4: [RELEASE_V4_PATCH] };
    const LATER: Record<string, string[]> = {
      v2: [AUDIT_RECORD_PATCH],
      batch: [BATCH_AUDIT_RECORD_PATCH, BATCH_DESCRIBED_CHILDREN_PATCH],
    };
    const seen = new Set<string>();
    for (const f of files) {
      const folder = f.split('/').slice(0, -1).join('/');
      const p = patches(f);
      const first = FIRST[folder] ?? [];
      expect(p.slice(0, first.length), f).toEqual(first);
      for (const later of p.slice(first.length)) {
        expect(LATER[folder] ?? [], f).toContain(later);
        seen.add(later);
      }
    }
    expect([...seen].sort()).toEqual(Object.values(LATER).flat().sort());
  });

  it.skipIf(process.env.RECORD_HISTORIES)('replays every recorded history deterministically', async () => {
    const histories = files.map((f) => {
      // The workflow ID matters: a release behaves differently under its canonical ID and under another one.
      const { workflowId, history } = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { workflowId: string; history: unknown };
      return { workflowId, history: historyFromJSON(history) };
    });
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: { codePath: inject('workflowBundlePath') }, replayName: 'recorded releases' },
      histories,
    )) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});
