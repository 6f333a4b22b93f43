// The commands the cluster run drives, each the one an operator would run: the server build, the Temporal CLI for
// the namespace, and the project's own commands (workflow bundle, search attributes).
import { execFile, type ChildProcess, type ExecFileOptions, type PromiseWithChild } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { temporalCliPath } from '../dev-server';

const ROOT = join(__dirname, '..', '..');
const execFileAsync = promisify(execFile);
const running = new Set<ChildProcess>();

/** execFile, its child remembered until it exits, so that an emergency exit can kill it. */
export function run(file: string, args: string[], options: ExecFileOptions = {}): PromiseWithChild<{ stdout: string; stderr: string }> {
  const p = execFileAsync(file, args, { maxBuffer: 1 << 20, ...options, encoding: 'utf8' });
  running.add(p.child);
  p.child.once('exit', () => running.delete(p.child));
  return p;
}

/** Synchronous, for an emergency exit: the commands still running (a build, the SQL tool, the CLI). */
export function killToolsNow(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** What a failed command said, its last lines. */
function output(err: unknown): string {
  const { stdout = '', stderr = '', message } = err as { stdout?: string; stderr?: string; message?: string };
  return (`${stdout}${stderr}`.trim() || message || String(err)).split('\n').slice(-6).join('\n');
}

export interface ServerBinaries {
  server: string;
  sql: string;
  schema: string;
}

/** scripts/temporal-server.sh: builds the server and the SQL tool once (its messages go to our stderr). */
export async function serverBinaries(): Promise<ServerBinaries> {
  const sh = run('bash', [join(__dirname, '..', 'temporal-server.sh')]);
  sh.child.stderr?.pipe(process.stderr);
  const { stdout } = await sh.catch((err: unknown) => {
    throw new Error(`scripts/temporal-server.sh failed: ${output(err)}`);
  });
  const found = Object.fromEntries(stdout.split('\n').map((l) => l.split(/=(.*)/s, 2))) as Partial<ServerBinaries>;
  if (!found.server || !found.sql || !found.schema) throw new Error(`scripts/temporal-server.sh printed no server, sql and schema paths: ${stdout}`);
  return { server: found.server, sql: found.sql, schema: found.schema };
}

/** `npm run build:workflows`: workers start in a second or two from a bundle instead of bundling each time. */
export async function buildWorkflowBundle(path: string): Promise<void> {
  await run(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'build-workflows.ts'), path], { cwd: ROOT }).catch((err: unknown) => {
    throw new Error(`building the workflow bundle failed: ${output(err)}`);
  });
}

/** A self-hosted server has no namespace but its own: `default` is registered as an operator does, with the CLI. */
export async function createNamespace(address: string, namespace: string): Promise<void> {
  const cli = temporalCliPath();
  if (!cli) throw new Error('no Temporal CLI to register the namespace with: run `npm run temporal:provision` or set TEMPORAL_CLI_PATH');
  await run(cli, ['operator', 'namespace', 'create', '--namespace', namespace, '--retention', '1d', '--address', address], { timeout: 30_000 }).catch(
    (err: unknown) => {
      throw new Error(`temporal operator namespace create ${namespace} failed: ${output(err)}`);
    },
  );
}

/** `npm run temporal:search-attributes` with the cluster's TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE; its last line. */
export async function provisionSearchAttributes(env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'search-attributes.ts')], { cwd: ROOT, env, timeout: 30_000 }).catch(
    (err: unknown) => {
      throw new Error(`npm run temporal:search-attributes failed: ${output(err)}`);
    },
  );
  return stdout.trim().split('\n').pop() ?? '';
}
