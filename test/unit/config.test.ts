// Provider configuration: defaults, field-level errors that name the file, credentials by reference.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig, resolveCredentials } from '../../providers/config';

describe('provider configuration', () => {
  it("defaults to the real endpoints and the providers' usual variable names", () => {
    const c = parseConfig({}, 'defaults');
    expect(c.alibaba.endpoint).toBe('https://ecs.{region}.aliyuncs.com');
    expect(c.huawei.endpoints.bss).toBe('https://bss.myhuaweicloud.com');
    expect(c.baidu.credentials).toEqual({ accessKeyIdEnv: 'BAIDU_CLOUD_ACCESS_KEY_ID', secretEnv: 'BAIDU_CLOUD_SECRET_ACCESS_KEY' });
    expect(c.alibaba.rateLimit.requestsPerSecond).toBe(10);
  });

  it('names the file and every wrong field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'providers.json');
    writeFileSync(file, JSON.stringify({ providers: { alibaba: { endpoint: 'ftp://x', extra: 1 }, baidu: { rateLimit: { requestsPerSecond: 0 } } } }));
    let error: unknown;
    try {
      loadConfig({ CLOUD_RELEASE_CONFIG: file });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(file);
    expect(message).toContain('providers.alibaba.endpoint');
    expect(message).toContain('extra');
    expect(message).toContain('providers.baidu.rateLimit.requestsPerSecond');
  });

  it('says which variables are missing, never their values', () => {
    const c = parseConfig({}, 'defaults');
    const missing = resolveCredentials('huawei', c.huawei.credentials, { HUAWEICLOUD_SDK_AK: 'AKVALUE', HUAWEICLOUD_SDK_SK: 'SKVALUE-secret' });
    expect(missing).toEqual({ missing: 'huawei: environment variable(s) HUAWEICLOUD_SDK_DOMAIN_ID not set' });
    expect(JSON.stringify(missing)).not.toContain('SKVALUE');
    const ok = resolveCredentials('alibaba', c.alibaba.credentials, { ALIBABA_CLOUD_ACCESS_KEY_ID: 'ak', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'sk' });
    expect(ok).toEqual({ accessKeyId: 'ak', secretAccessKey: 'sk', domainId: undefined });
  });

  it('reads a credentials file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cred-'));
    writeFileSync(join(dir, 'baidu.json'), JSON.stringify({ accessKeyId: 'ak', secretAccessKey: 'sk' }));
    expect(resolveCredentials('baidu', { file: join(dir, 'baidu.json') })).toEqual({ accessKeyId: 'ak', secretAccessKey: 'sk', domainId: undefined });
    expect(resolveCredentials('baidu', { file: join(dir, 'none.json') })).toEqual({ missing: expect.stringContaining('cannot read credentials file') });
  });
});
