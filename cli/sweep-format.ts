// Human-readable sweeps: the result (candidates with why they matched and what happened to them, exclusions
// with their reasons, owners notified, opt-outs, the batch) and the progress of a running one.
import type { SweepProgress, SweepResult } from '../workflows/sweep-messages';
import { table } from './format';

const indent = (lines: string[]) => lines.map((l) => `  ${l}`);
const section = (title: string, lines: string[]) => (lines.length ? ['', `${title}:`, ...indent(lines)] : []);

export function formatSweepResult(workflowId: string, r: SweepResult): string[] {
  const c = r.counts;
  return [
    `${workflowId}: ${r.mode} sweep ${r.sweep} ended: ${r.summary}`,
    `discovered ${r.discovered}${r.discoveryTruncated ? ' (discovery stopped at its page cap)' : ''}, ${c.candidates} candidate(s), ${c.excluded} excluded, ` +
      `${c.notified} notified, ${c.optedOut} opted out, ${c.handedToBatch} handed to the batch`,
    ...(r.mode === 'report' ? ['report mode: nothing was released'] : []),
    ...section(
      'candidates',
      r.candidates.length
        ? table(
            ['RESOURCE', 'KIND', 'OWNER', 'WHY', r.mode === 'report' ? 'PLAN' : 'OUTCOME'],
            r.candidates.map((x) => [
              x.resourceId,
              x.kind,
              x.owner ?? '',
              x.reasons.join('; '),
              r.mode === 'report' ? (x.plan ?? '') : [x.outcome, x.release ?? x.detail].filter(Boolean).join(': '),
            ]),
          )
        : [],
    ),
    ...section(
      'excluded',
      r.excluded.length
        ? table(
            ['RESOURCE', 'KIND', 'WHY'],
            r.excluded.map((x) => [x.resourceId, x.kind, x.reasons.join('; ')]),
          )
        : [],
    ),
    ...section(
      'owners notified',
      r.notifications.map((n) => `${n.owner}: ${n.resources.join(', ')}${n.delivered ? '' : ` (not delivered: ${n.error ?? 'unknown'})`}`),
    ),
    ...section(
      'opted out',
      r.optOuts.map((o) => `${o.resourceId} by ${o.by} (${o.via}) at ${o.at}: ${o.reason}`),
    ),
    ...(r.batch
      ? [
          '',
          `batch ${r.batch.workflowId}: ${r.batch.targets} target(s)${
            r.batch.counts
              ? `, ${Object.entries(r.batch.counts)
                  .map(([k, n]) => `${k} ${n}`)
                  .join(', ')}`
              : ''
          }` + `${r.batch.stopped ? `; stopped: ${r.batch.stopped}` : ''}${r.batch.error ? `; error: ${r.batch.error}` : ''}`,
        ]
      : []),
    ...(r.truncated ? ['(some candidates or exclusions were left out of the result)'] : []),
  ];
}

export function formatSweepProgress(workflowId: string, p: SweepProgress): string[] {
  return [
    `${workflowId}: running, phase ${p.phase}${p.releaseAfter ? `, releases after ${p.releaseAfter}` : ''}`,
    ...section('candidates', p.candidates),
    ...section(
      'opted out',
      p.optOuts.map((o) => `${o.resourceId} by ${o.by} (${o.via}): ${o.reason}`),
    ),
    ...(p.phase === 'grace' ? ['', `opt a resource out: cloud-release sweep opt-out ${workflowId} --resource <id> --by <your name> --reason <why>`] : []),
  ];
}
