// The fault suite's short profile, on every `npm test`: its own dev server (SIGKILLed and restarted), two worker
// processes SIGKILLed a few times, provider faults, malformed inputs and update payloads. The suite checks its
// invariants itself and exits non-zero if one fails; this test runs it and shows its figures when it does.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SUITE = join(__dirname, '..', '..', 'scripts', 'faults.ts');

describe('fault suite (short profile)', () => {
  it('holds every invariant under worker kills, a server restart, provider faults and bad inputs', async () => {
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', SUITE],
        { env: { ...process.env, FAULTS_PROFILE: 'short' }, maxBuffer: 16 * 1024 * 1024 },
        (_err, stdout, stderr) => resolve({ code: child.exitCode, output: `${stdout}\n${stderr}` }),
      );
    });
    expect(output, output).toMatch(/\d+ passed, 0 failed/);
    expect(code, output).toBe(0);
  }, 260_000);
});
