// Provider configuration: endpoints, credentials BY REFERENCE (environment variable names or a credentials
// file), rate limits. Validated with zod; errors name the file and the field. Secrets are read here, handed
// to the adapters, and never enter workflow inputs, results, histories or logs.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Provider } from '../domain/resource';

const credentialRef = z
  .object({
    /** Environment variable holding the access key ID. */
    accessKeyIdEnv: z.string().min(1).optional(),
    /** Environment variable holding the secret. */
    secretEnv: z.string().min(1).optional(),
    /** Huawei only: environment variable holding the account (domain) ID, for the Billing Center. */
    domainIdEnv: z.string().min(1).optional(),
    /** Or a JSON file { accessKeyId, secretAccessKey, domainId? }, readable by the worker only. */
    file: z.string().min(1).optional(),
  })
  .strict()
  .refine((c) => !!c.file !== !!(c.accessKeyIdEnv || c.secretEnv), { message: 'give either file, or accessKeyIdEnv and secretEnv' });

const rateLimit = z.object({ requestsPerSecond: z.number().positive() }).strict();

const urlTemplate = z.string().regex(/^https?:\/\//, 'must be an http(s) URL; {region} is replaced by the resource region');

const schema = z
  .object({
    providers: z
      .object({
        alibaba: z
          .object({
            endpoint: urlTemplate.default('https://ecs.{region}.aliyuncs.com'),
            credentials: credentialRef.default({ accessKeyIdEnv: 'ALIBABA_CLOUD_ACCESS_KEY_ID', secretEnv: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET' }),
            rateLimit: rateLimit.default({ requestsPerSecond: 10 }),
          })
          .strict()
          .prefault({}),
        baidu: z
          .object({
            endpoint: urlTemplate.default('https://bcc.{region}.baidubce.com'),
            credentials: credentialRef.default({ accessKeyIdEnv: 'BAIDU_CLOUD_ACCESS_KEY_ID', secretEnv: 'BAIDU_CLOUD_SECRET_ACCESS_KEY' }),
            rateLimit: rateLimit.default({ requestsPerSecond: 10 }),
          })
          .strict()
          .prefault({}),
        huawei: z
          .object({
            endpoints: z
              .object({
                modelarts: urlTemplate.default('https://modelarts.{region}.myhuaweicloud.com'),
                ecs: urlTemplate.default('https://ecs.{region}.myhuaweicloud.com'),
                dcc: urlTemplate.default('https://deh.{region}.myhuaweicloud.com'),
                bss: urlTemplate.default('https://bss.myhuaweicloud.com'),
                /** Disk and snapshot cleanup; default: the ECS endpoint with evs. for ecs. */
                evs: urlTemplate.optional(),
                /** The server behind a BMS-backed node; default: the ECS endpoint with bms. for ecs. */
                bms: urlTemplate.optional(),
              })
              .strict()
              .prefault({}),
            credentials: credentialRef.default({
              accessKeyIdEnv: 'HUAWEICLOUD_SDK_AK',
              secretEnv: 'HUAWEICLOUD_SDK_SK',
              domainIdEnv: 'HUAWEICLOUD_SDK_DOMAIN_ID',
            }),
            rateLimit: rateLimit.default({ requestsPerSecond: 10 }),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ProvidersConfig = z.infer<typeof schema>['providers'];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parse a config object; `source` names the file in errors. */
export function parseConfig(data: unknown, source: string): ProvidersConfig {
  const parsed = schema.safeParse(data ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration in ${source}:\n${lines.join('\n')}`);
  }
  return parsed.data.providers;
}

/** The config file named by CLOUD_RELEASE_CONFIG, or the defaults (real endpoints, standard variable names). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ProvidersConfig {
  const path = env.CLOUD_RELEASE_CONFIG;
  if (!path) return parseConfig({}, 'the built-in defaults');
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read the configuration file ${path}: ${(err as Error).message}`);
  }
  return parseConfig(data, path);
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  domainId?: string;
}

/**
 * Resolve a provider's credentials, or say why they are missing (naming variables and files, never values).
 * A provider without credentials is simply not configured: its releases fail with a clear error.
 */
export function resolveCredentials(
  provider: Provider,
  ref: z.infer<typeof credentialRef>,
  env: NodeJS.ProcessEnv = process.env,
): Credentials | { missing: string } {
  if (ref.file) {
    let data: Partial<Credentials>;
    try {
      data = JSON.parse(readFileSync(ref.file, 'utf8')) as Partial<Credentials>;
    } catch (err) {
      return { missing: `${provider}: cannot read credentials file ${ref.file} (${(err as NodeJS.ErrnoException).code ?? 'invalid JSON'})` };
    }
    if (!data.accessKeyId || !data.secretAccessKey) return { missing: `${provider}: ${ref.file} needs accessKeyId and secretAccessKey` };
    return { accessKeyId: data.accessKeyId, secretAccessKey: data.secretAccessKey, domainId: data.domainId };
  }
  const names = [ref.accessKeyIdEnv, ref.secretEnv, ...(provider === 'huawei' ? [ref.domainIdEnv] : [])];
  const unset = names.filter((n) => !n || !env[n]);
  if (unset.length > 0) return { missing: `${provider}: environment variable(s) ${unset.join(', ')} not set` };
  return {
    accessKeyId: env[ref.accessKeyIdEnv!]!,
    secretAccessKey: env[ref.secretEnv!]!,
    domainId: ref.domainIdEnv ? env[ref.domainIdEnv] : undefined,
  };
}
