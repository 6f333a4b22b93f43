// The malformed inputs through the CLI: `cloud-release release --input <json> --no-wait --json`, one process per
// input, a few at a time. Each must exit 2 with field-level errors on stdout, and start nothing. Inputs too
// large for a command line go through a file (--input-file) or stdin (-f -), in turn.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BadInput } from './catalogue';
import { canonicalIdOf, MAX_WORKFLOW_ID } from './client-inputs';
import { messageOf } from './support';

const ROOT = join(__dirname, '..', '..');
/** Linux refuses a single argument over 128 KiB. */
const MAX_ARGUMENT_BYTES = 64 * 1024;
const PROCESS_TIMEOUT_MS = 60_000;

export interface CliResult {
  name: string;
  via: 'argument' | 'file' | 'stdin';
  exitCode: number | null;
  /** Field-level errors in the JSON on stdout. */
  fieldErrors: number;
  /** The workflow ID a start would have used (checked afterwards: no such workflow). */
  canonicalId?: string;
  ms: number;
  detail?: string;
}

export interface CliTarget {
  address: string;
  namespace: string;
  taskQueue: string;
  /** Where the large inputs' files go. */
  dir: string;
}

function fieldErrorsOf(stdout: string): number {
  try {
    const out = JSON.parse(stdout.trim().split('\n').pop() ?? '') as { error?: { errors?: { field?: unknown }[] } };
    return (out.error?.errors ?? []).filter((e) => typeof e.field === 'string' && e.field !== '').length;
  } catch {
    return 0;
  }
}

async function runOne(b: BadInput, i: number, via: CliResult['via'], t: CliTarget): Promise<CliResult> {
  const began = Date.now();
  const text = JSON.stringify(b.args[0]);
  let input: string[];
  if (via === 'file') {
    const path = join(t.dir, `cli-input-${i}.json`);
    writeFileSync(path, text);
    input = ['--input-file', path];
  } else input = via === 'stdin' ? ['-f', '-'] : [`--input=${text}`];
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'main.ts'), 'release', ...input, '--no-wait', '--json'], {
    cwd: ROOT,
    env: { ...process.env, TEMPORAL_ADDRESS: t.address, TEMPORAL_NAMESPACE: t.namespace, CLOUD_RELEASE_TASK_QUEUE: t.taskQueue },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  proc.stdin.on('error', () => undefined); // a CLI that exits before reading it all
  proc.stdin.end(via === 'stdin' ? text : undefined);
  const timer = setTimeout(() => proc.kill('SIGKILL'), PROCESS_TIMEOUT_MS);
  const exitCode = await new Promise<number | null>((resolve) => {
    proc.once('error', () => resolve(null));
    proc.once('close', (code) => resolve(code));
  });
  clearTimeout(timer);
  return {
    name: b.name,
    via,
    exitCode,
    fieldErrors: fieldErrorsOf(stdout),
    canonicalId: canonicalIdOf(b.args[0]),
    ms: Date.now() - began,
    detail: (stderr || stdout).trim().slice(0, 200),
  };
}

/** Every input through the CLI, `concurrency` processes at a time. */
export async function runCliInputs(inputs: BadInput[], t: CliTarget, concurrency: number): Promise<CliResult[]> {
  let large = 0;
  const vias = inputs.map((b): CliResult['via'] =>
    Buffer.byteLength(JSON.stringify(b.args[0])) <= MAX_ARGUMENT_BYTES ? 'argument' : large++ % 2 === 0 ? 'file' : 'stdin',
  );
  const results: CliResult[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < inputs.length; i = next++) results.push(await runOne(inputs[i], i, vias[i], t));
    }),
  );
  return results;
}

/**
 * The workflow IDs among `ids` that have a run in the client's namespace (there must be none). An ID over the
 * server's limit cannot have one, and is not looked up: the server does not answer a describe of a 1 MB ID.
 */
export async function startedUnder(c: Client, ids: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const id of new Set(ids.filter((i) => i.length <= MAX_WORKFLOW_ID))) {
    try {
      await c.workflow.getHandle(id).describe();
      found.push(id);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) found.push(`${id}: ${messageOf(err).slice(0, 120)}`);
    }
  }
  return found;
}
