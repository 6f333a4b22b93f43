// The Web UI's fixed summary and details of a release's start, the same whoever starts it (client, CLI, schedule,
// a hand-over): Temporal markdown. Each field is clipped: a start with an oversized (invalid) field must still
// reach the workflow, which refuses it field by field, instead of failing on the server's metadata limits.
import type { SearchAttributePair } from '@temporalio/common';
import { SA } from '../common/temporal';
import type { ValidRequest } from './request';
import type { ResourceRef } from './resource';

const FIELD_MAX = 160;
const clip = (v: unknown): string => {
  const s = typeof v === 'string' ? v : '';
  return s.length > FIELD_MAX ? `${s.slice(0, FIELD_MAX)}…` : s;
};

/** One line for a list: what is released, where, for whom. */
export function startSummary(ref: ResourceRef, requestedBy: string, dryRun: boolean): string {
  return `${dryRun ? 'Dry run: ' : ''}release ${clip(ref.kind)} ${clip(ref.resourceId)} (${clip(ref.provider)} ${clip(ref.region)}) for ${clip(requestedBy)}`;
}

/** The fixed details of a start: the request in short, as the runbook names it. */
export function startDetails(ref: ResourceRef, request: { requestedBy: string; ticket: string; reason?: string }): string {
  const project = ref.projectId ? `, project ${clip(ref.projectId)}` : '';
  const reason = request.reason ? ` (${clip(request.reason)})` : '';
  return [
    `**Resource:** ${clip(ref.provider)} ${clip(ref.kind)} \`${clip(ref.resourceId)}\` in ${clip(ref.region)}${project}`,
    `**Requested by:** ${clip(request.requestedBy)}, ticket ${clip(request.ticket)}${reason}`,
    '**Runbook:** validate → inspect → plan → confirm → prepare → re-check → destroy (once) → wait until gone → clean up → verify → report',
  ].join('\n\n');
}

/** How a release is listed: its search attributes and memo, from the validated request. */
export function describedAs({ ref, requestedBy, ticket, dryRun }: Pick<ValidRequest, 'ref' | 'requestedBy' | 'ticket' | 'dryRun'>): {
  searchAttributes: SearchAttributePair[];
  memo: { dryRun: boolean; summary: string };
} {
  return {
    searchAttributes: [
      { key: SA.provider, value: ref.provider },
      { key: SA.kind, value: ref.kind },
      { key: SA.resourceId, value: ref.resourceId },
      { key: SA.region, value: ref.region },
      { key: SA.requester, value: requestedBy },
    ],
    memo: { dryRun, summary: `${startSummary(ref, requestedBy, dryRun)}, ticket ${ticket}` },
  };
}

/** The start options that describe a release from the start (the workflow then upserts none of them). */
export function releaseAttributes(request: Pick<ValidRequest, 'ref' | 'requestedBy' | 'ticket' | 'dryRun'>) {
  const { searchAttributes, memo } = describedAs(request);
  return { typedSearchAttributes: searchAttributes, memo };
}
