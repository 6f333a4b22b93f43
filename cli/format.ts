// Human-readable output: the plan (what is deleted, kept, and why), the report and a running release's progress.
// Plain text tables, padded per column; the last column is never padded, so long reasons do not widen the rest.
import type { ExistingPlan, Plan } from '../domain/plan';
import { isGone } from '../domain/plan';
import type { ItemRecord, ReleaseReport, StepRecord } from '../domain/report';
import type { Progress } from '../workflows/messages';

export function table(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

const FATE = { deleted: 'deleted', cleanup: 'deleted', retained: 'kept' } as const;
const BY = { deleted: 'by the provider, with the resource', cleanup: 'by the release, afterwards', retained: '' } as const;

/** The plan as a table of every item: deleted or kept, and why. */
export function formatPlan(plan: Plan): string[] {
  const { resource: r } = plan;
  const title = `${r.kind} ${r.resourceId} (${r.provider} ${r.region}${r.projectId ? `, project ${r.projectId}` : ''})`;
  if (isGone(plan)) {
    return [
      `${title}: ${plan.outcome === 'not-found' ? 'the provider does not know it' : `already gone (${plan.rawStatus}): nothing to do`}`,
      ...plan.notes.map((n) => `note: ${n}`),
    ];
  }
  return [
    `${title}: ${plan.action}, ${plan.outcome === 'blocked' ? 'BLOCKED' : plan.outcome === 'in-progress' ? 'already being deleted' : 'would proceed'}`,
    ...plan.blockers.map((b) => `blocked: ${b.message} (${b.code})`),
    ...(plan.gates.length
      ? [`needs: ${plan.gates.map((g) => (g === 'backup' ? 'a backup confirmation (confirm)' : 'an override approval by someone else (approve)')).join(', ')}`]
      : []),
    ...(plan.prepare.length
      ? [`first: ${plan.prepare.map((p) => (p.step === 'stop' ? 'stop the instance' : `drain ${p.vmIds.length} VM(s)`)).join(', then ')}`]
      : []),
    '',
    ...table(['ITEM', 'ID', 'FATE', 'WHY'], planRows(plan)),
    ...plan.notes.map((n) => `note: ${n}`),
  ];
}

function planRows(plan: ExistingPlan): string[][] {
  const reason = (fate: keyof typeof BY, why: string) => [BY[fate], why].filter(Boolean).join(': ');
  return [
    [
      'resource',
      plan.resource.resourceId,
      plan.outcome === 'blocked' ? 'kept' : 'deleted',
      plan.outcome === 'blocked' ? 'the release is blocked' : `by the release: ${plan.action}`,
    ],
    ...plan.vms.map((v) => [
      'vm',
      v.vm.id,
      v.fate === 'drain' ? 'deleted' : 'kept',
      `${v.fate === 'drain' ? 'drained first: ' : 'blocks the release: '}${v.why}`,
    ]),
    ...plan.disks.map((d) => [`${d.disk.role} disk`, d.disk.id, FATE[d.fate], reason(d.fate, d.why)]),
    ...plan.snapshots.map((s) => [`${s.snapshot.type} snapshot`, s.snapshot.id, FATE[s.fate], reason(s.fate, s.why)]),
  ];
}

const time = (iso: string | undefined) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '');

function stepRows(steps: StepRecord[]): string[][] {
  return steps.map((s) => [
    s.phase,
    s.outcome,
    time(s.startedAt),
    s.name + (s.detail ? `: ${s.detail}` : '') + (s.requestIds?.length ? ` [${s.requestIds.join(', ')}]` : ''),
  ]);
}

function itemRows(items: ItemRecord[]): string[][] {
  return items.map((i) => [i.type, i.id, i.observed ?? '', i.how]);
}

function section(title: string, lines: string[]): string[] {
  return lines.length ? ['', `${title}:`, ...lines.map((l) => (l ? `  ${l}` : l))] : [];
}

/** The audit record: what happened, every step, what was deleted and kept, approvals, cancels, provider errors. */
export function formatReport(report: ReleaseReport): string[] {
  const r = report.resource;
  return [
    `${report.workflowId}: ${report.outcome}`,
    report.summary,
    `${r.kind} ${r.resourceId} (${r.provider} ${r.region}), requested by ${report.requestedBy}, ticket ${report.ticket}${report.reason ? `: ${report.reason}` : ''}`,
    `started ${time(report.startedAt)}${report.endedAt ? `, ended ${time(report.endedAt)}` : ''}`,
    ...(report.canonicalWorkflowId && report.canonicalWorkflowId !== report.workflowId
      ? [`follow it with: cloud-release watch ${report.canonicalWorkflowId}`]
      : []),
    ...section('plan', report.plan ? formatPlan(report.plan) : []),
    ...section('steps', report.steps.length ? table(['PHASE', 'OUTCOME', 'STARTED', 'STEP'], stepRows(report.steps)) : []),
    ...section('deleted', report.deleted.length ? table(['ITEM', 'ID', 'OBSERVED', 'HOW'], itemRows(report.deleted)) : []),
    ...section('kept', report.retained.length ? table(['ITEM', 'ID', 'OBSERVED', 'WHY'], itemRows(report.retained)) : []),
    ...section(
      'approvals',
      report.approvals.map((a) => `${a.gate} by ${a.by} at ${time(a.at)}${a.reference ? `, ${a.reference}` : ''}${a.comment ? `: ${a.comment}` : ''}`),
    ),
    ...section(
      'cancels',
      report.cancels.map((c) => `${c.honoured ? 'honoured' : 'refused'}: ${c.by} at ${time(c.at)}: ${c.reason}`),
    ),
    ...section(
      'provider errors',
      report.providerErrors.map((e) => `${time(e.at)} ${e.code}: ${e.message}${e.requestId ? ` [${e.requestId}]` : ''}`),
    ),
    ...section('verification discrepancies', report.verification?.discrepancies ?? []),
  ];
}

/** A running release: its phase, what it waits for, its plan and the steps so far. */
export function formatProgress(workflowId: string, p: Progress): string[] {
  return [
    `${workflowId}: running, phase ${p.phase}${p.waitingFor ? `, waiting for ${p.waitingFor}` : ''}`,
    ...(p.destructiveCallMade ? ['the destructive call was made: a cancel is refused from here on'] : []),
    ...(p.lastProviderError ? [`last provider error: ${p.lastProviderError.code}: ${p.lastProviderError.message}`] : []),
    ...section('plan', p.plan ? formatPlan(p.plan) : []),
    ...section('steps', p.steps.length ? table(['PHASE', 'OUTCOME', 'STARTED', 'STEP'], stepRows(p.steps)) : []),
    ...section(
      'approvals',
      p.approvals.map((a) => `${a.gate} by ${a.by} at ${time(a.at)}${a.reference ? `, ${a.reference}` : ''}`),
    ),
  ];
}
