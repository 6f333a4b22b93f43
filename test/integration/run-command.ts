// Commands the tests run as a user would: to their end, asynchronously (the worker of the test runs in the test's
// process and must keep serving meanwhile), with their exit code and output.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** `cloud-release …` from the sources (what `npm run cli` runs), with `env` over this process's environment. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<Run> {
  return runCommand(process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'main.ts'), ...args], { ...process.env, ...env }, stdin);
}
