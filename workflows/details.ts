// What the Web UI shows of a release as it goes: its current details (Temporal markdown). Pure text from the
// release's state: the same state always gives the same text. (The fixed summaries of a start: domain/summaries.ts.)
import { isGone, type Gate, type Plan } from '../domain/plan';
import type { Phase, ReleaseOutcome, StepRecord } from '../domain/report';
import type { ResourceRef } from '../domain/resource';

export interface DetailsState {
  workflowId: string;
  ref: ResourceRef;
  phase: Phase;
  outcome: ReleaseOutcome;
  summary: string;
  waitingFor?: string;
  /** The gate the release waits at, when it waits for a person. */
  gate?: Gate;
  plan?: Plan;
  lastStep?: StepRecord;
  approvals: { gate: Gate; by: string }[];
}

/** The release's current details: where it is, the plan in short, and what it waits for with the exact update to send. */
export function currentDetails(s: DetailsState): string {
  const lines = [`**Phase:** ${s.phase}${s.outcome === 'in-progress' ? '' : ` (${s.outcome})`}`];
  if (s.outcome !== 'in-progress') lines.push(`**Outcome:** ${s.summary}`);
  if (s.plan) lines.push(`**Plan:** ${summarisePlan(s.plan)}`);
  for (const a of s.approvals) lines.push(`**${a.gate === 'backup' ? 'Backup confirmed' : 'Override approved'} by:** ${a.by}`);
  if (s.waitingFor) lines.push(`**Waiting for:** ${s.waitingFor}`);
  if (s.gate) lines.push(...toPass(s.gate, s.workflowId, s.ref));
  if (s.lastStep) lines.push(`**Last step:** ${s.lastStep.name} — ${s.lastStep.endedAt ? s.lastStep.outcome : 'running'}`);
  return lines.join('\n\n');
}

/** The plan in one sentence (also a dry run's summary). */
export function summarisePlan(plan: Plan): string {
  if (isGone(plan)) return plan.notes.join('; ');
  if (plan.outcome === 'blocked') return `would be blocked: ${plan.blockers.map((b) => b.message).join('; ')}`;
  const count = (fate: string) => plan.disks.filter((d) => d.fate === fate).length + plan.snapshots.filter((s) => s.fate === fate).length;
  const vms = plan.vms.filter((v) => v.fate === 'drain').length;
  return `would ${plan.action} it${vms ? ` after draining ${vms} VM(s)` : ''}; ${count('deleted')} disk/snapshot(s) deleted by the provider, ${count('cleanup')} cleaned up, ${count('retained')} kept${plan.gates.length ? `; needs ${plan.gates.join(' and ')}` : ''}`;
}

function toPass(gate: Gate, workflowId: string, ref: ResourceRef): string[] {
  const target = `${ref.provider}/${ref.region}/${ref.resourceId}`;
  return gate === 'backup'
    ? [
        '**To continue:** send the update `confirmBackup` (Web UI: Send Update) with `{"confirmedBy": "<your name>", "backupReference": "<backup or snapshot ID>"}`',
        `CLI: \`cloud-release confirm ${target} --by <your name> --backup-reference <ID>\` or \`temporal workflow update execute --workflow-id ${workflowId} --name confirmBackup --input '{"confirmedBy":"<your name>","backupReference":"<ID>"}'\``,
      ]
    : [
        '**To continue:** someone other than the requester sends the update `approveOverride` (Web UI: Send Update) with `{"approvedBy": "<your name>"}`',
        `CLI: \`cloud-release approve ${target} --by <your name>\` or \`temporal workflow update execute --workflow-id ${workflowId} --name approveOverride --input '{"approvedBy":"<your name>"}'\``,
      ];
}
