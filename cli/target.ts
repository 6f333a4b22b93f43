// The release a command acts on: `provider/region/resourceId` (its canonical workflow ID) or any workflow ID
// (`release/…`, `dry-run/…`, `scheduled/…`).
import { releaseWorkflowId } from '../domain/request';
import { PROVIDERS, type Provider } from '../domain/resource';

export interface Target {
  workflowId: string;
  /** What the user typed, when it was the short form: named by the "not found" error. */
  shorthand?: string;
}

export const TARGET_HELP = 'provider/region/resourceId (e.g. alibaba/cn-hangzhou/i-bp1stoppedpaygo01) or a workflow ID';

export function parseTarget(text: string): Target {
  const parts = text.split('/');
  if (parts.length === 3 && PROVIDERS.includes(parts[0] as Provider) && parts.every((p) => p.length > 0)) {
    const [provider, region, resourceId] = parts as [Provider, string, string];
    return { workflowId: releaseWorkflowId({ provider, region, resourceId }), shorthand: text };
  }
  return { workflowId: text };
}
