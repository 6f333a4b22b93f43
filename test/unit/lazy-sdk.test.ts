import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lazyModule } from '../../providers/lazy-module';

const ROOT = join(__dirname, '..', '..');

/** Which of `packages` a fresh Node process has loaded after running `script` (TypeScript through scripts/register-ts.js). */
function loadedAfter(script: string, packages: string[]): string[] {
  const probe = `${script}; const loaded = Object.keys(require.cache); console.log(JSON.stringify(${JSON.stringify(packages)}.filter((p) => loaded.some((k) => k.includes('/node_modules/' + p + '/')))));`;
  const run = spawnSync(process.execPath, ['--require', './scripts/register-ts.js', '-e', probe], { cwd: ROOT, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as string[];
}

const HEAVY = ['@alicloud/ecs20140526', '@huaweicloud/huaweicloud-sdk-ecs'];

describe('the cloud SDKs load at their first request, not when a worker is built', () => {
  it('creating every adapter loads neither ECS SDK', () => {
    const build = `
      const { createAdapters } = require('./providers/registry');
      const { parseConfig } = require('./providers/config');
      const { sandboxProviderConfig } = require('./simulators/sandbox-config');
      const { defaultFixture } = require('./simulators/runtime');
      const endpoints = { alibaba: 'http://127.0.0.1:1', baidu: 'http://127.0.0.1:1', huawei: 'http://127.0.0.1:1', admin: 'http://127.0.0.1:1' };
      const { config, env } = sandboxProviderConfig(endpoints, defaultFixture());
      const { adapters } = createAdapters(parseConfig(config, 'test'), env);
      if (!adapters.alibaba || !adapters.huawei) throw new Error('adapters missing')`;
    expect(loadedAfter(build, HEAVY)).toEqual([]);
  });

  it('a lazy module loads once, at its first use, and is then the module itself', () => {
    let loads = 0;
    const m = lazyModule(() => {
      loads++;
      return { answer: 42, Thing: class Thing {} };
    });
    expect(loads).toBe(0);
    expect(m.answer).toBe(42);
    expect(new m.Thing()).toBeInstanceOf(m.Thing);
    expect(loads).toBe(1);
  });
});
