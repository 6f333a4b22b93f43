/**
 * A module loaded at its first use instead of at import. The cloud SDKs are large (the ECS SDK of Alibaba Cloud takes
 * half a second to load, Huawei's ECS SDK a fifth), and a worker that loads them all before it polls starts that much
 * later (README "Performance"). The first request of a provider pays for its SDK; types come from `import type`.
 */
export function lazyModule<T extends object>(load: () => T): T {
  let loaded: T | undefined;
  return new Proxy({} as T, { get: (_, key) => Reflect.get((loaded ??= load()), key) as unknown });
}
