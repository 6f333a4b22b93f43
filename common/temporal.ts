// Names shared by the workflow, the worker and the clients. Workflow-safe: no Node APIs.
import { defineSearchAttributeKey } from '@temporalio/common';

/** The task queue of the release workflows (and of the activities that call no provider). */
export const TASK_QUEUE = 'cloud-release';

/**
 * Provider calls run on one task queue per provider, beside the workflow's own queue: a provider that is slow or
 * throttled holds up its own activities only. Its request limit is in the adapters (providers/rate-limit.ts).
 */
export function providerTaskQueue(workflowTaskQueue: string, provider: string): string {
  return `${workflowTaskQueue}.${provider}`;
}

/** Search attributes, so the UI can list e.g. every Alibaba release waiting for backup confirmation. */
export const SA = {
  provider: defineSearchAttributeKey('CloudProvider', 'KEYWORD'),
  kind: defineSearchAttributeKey('ResourceKind', 'KEYWORD'),
  resourceId: defineSearchAttributeKey('ResourceId', 'KEYWORD'),
  region: defineSearchAttributeKey('CloudRegion', 'KEYWORD'),
  phase: defineSearchAttributeKey('ReleasePhase', 'KEYWORD'),
  requester: defineSearchAttributeKey('Requester', 'KEYWORD'),
} as const;

export const SEARCH_ATTRIBUTES = Object.values(SA);
