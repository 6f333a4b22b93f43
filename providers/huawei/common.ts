import type { CallReceipt, ResourceRef } from '../../domain/resource';
import { ProviderError } from '../adapter';
import { classifyHuaweiError } from './errors';
import { PROVIDER } from './sdk';
import type { Scope } from './api';

/** Project-scoped calls need the project: refuse before any request when the ref has none. */
export function scopeOf(ref: ResourceRef): Scope {
  if (!ref.projectId) {
    throw new ProviderError(PROVIDER, 'InvalidParameter', `ResourceRef.projectId is required for Huawei (${ref.kind} ${ref.resourceId})`, 'final');
  }
  return { region: ref.region, projectId: ref.projectId };
}

export const isNotFound = (err: unknown): boolean => err instanceof ProviderError && err.errorClass === 'not-found';

export function unsupported(ref: ResourceRef, what: string): ProviderError {
  return new ProviderError(PROVIDER, 'UnsupportedAction', `${what} is not supported for ${ref.kind}`, 'final');
}

/**
 * Run one destructive request. "Already gone / already unsubscribed / already being deleted"
 * resolves as done; every other error propagates. Never retried here.
 */
export async function destructive(send: () => Promise<{ requestId?: string; references?: string[] }>): Promise<CallReceipt> {
  try {
    const { requestId, references } = await send();
    return { requestId, references, alreadyDone: false };
  } catch (err) {
    if (err instanceof ProviderError && (err.errorClass === 'not-found' || classifyHuaweiError(err.code, err.httpStatus).alreadyDone)) {
      return { requestId: err.requestId, alreadyDone: true };
    }
    throw err;
  }
}

/** ECS tags come as "key=value" strings; DeH tags as {key, value}. */
export function tagMap(tags: (string | { key?: string; value?: string })[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) {
    if (typeof t === 'string') {
      const eq = t.indexOf('=');
      if (eq > 0) out[t.slice(0, eq)] = t.slice(eq + 1);
      else if (t) out[t] = '';
    } else if (t?.key) {
      out[t.key] = t.value ?? '';
    }
  }
  return out;
}
