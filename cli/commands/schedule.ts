// `cloud-release schedule …`: Temporal Schedules of decommission sweeps (client/sweep.ts): overlap SKIP and a
// catch-up window on every one. The policy is validated before anything is created.
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type Client,
  type ScheduleDescription,
  type ScheduleSpec,
  type ScheduleSummary,
} from '@temporalio/client';
import { InvalidArgumentError, type Command } from 'commander';
import {
  createSweepSchedule,
  DEFAULT_CATCHUP_WINDOW_MS,
  deleteSweepSchedule,
  describeSweepSchedule,
  listSweepSchedules,
  pauseSweepSchedule,
  triggerSweepSchedule,
  unpauseSweepSchedule,
} from '../../client/sweep';
import { durationMs, type SweepPolicy } from '../../domain/sweep-policy';
import { run } from '../command';
import { withClient } from '../connect';
import { CliError, ExitCode } from '../exit-codes';
import { table } from '../format';
import type { Output } from '../output';
import { policyFrom } from './sweep';

const duration = (text: string): number => {
  const ms = durationMs(text);
  if (ms === undefined || ms < 1000) throw new InvalidArgumentError('expected a duration like "30m", "24h" or "7d"');
  return ms;
};

const when = (d: Date | undefined) =>
  d
    ? d
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z')
    : '';
const every = (ms: number) => (ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${Math.round(ms / 60_000)}m`);

type Calendar = NonNullable<NonNullable<ScheduleSummary['spec']>['calendars']>[number];
const CRON_FIELDS = ['minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek'] as const;
const ANY: Record<(typeof CRON_FIELDS)[number], [unknown, unknown]> = {
  minute: [0, 59],
  hour: [0, 23],
  dayOfMonth: [1, 31],
  month: ['JANUARY', 'DECEMBER'],
  dayOfWeek: ['SUNDAY', 'SATURDAY'],
};

/** A calendar (the server's form of a cron expression) as cron text: "0 2 * * SAT". */
function cron(c: Calendar): string {
  const short = (v: string | number) => (typeof v === 'string' ? v.slice(0, 3) : String(v));
  return CRON_FIELDS.map((f) => {
    const ranges = c[f] as { start: string | number; end?: string | number; step?: number }[];
    const [lo, hi] = ANY[f];
    if (!ranges.length || (ranges.length === 1 && ranges[0].start === lo && ranges[0].end === hi && (ranges[0].step ?? 1) <= 1)) return '*';
    return ranges
      .map((r) => `${short(r.start)}${r.end !== undefined && r.end !== r.start ? `-${short(r.end)}` : ''}${(r.step ?? 1) > 1 ? `/${r.step}` : ''}`)
      .join(',');
  }).join(' ');
}

/** The schedule's times in one line: its intervals and its calendars as cron text (UTC). */
function specLine(spec: ScheduleSummary['spec']): string {
  const parts = [...(spec?.intervals ?? []).map((i) => `every ${every(i.every)}`), ...(spec?.calendars ?? []).map((c) => `cron '${cron(c)}' UTC`)];
  return parts.join('; ') || 'no times (trigger only)';
}

/** Run against one schedule: an unknown ID exits 6 with how to find the right one. */
function onSchedule<T>(scheduleId: string, fn: (client: Client) => Promise<T>): Promise<T> {
  return withClient((client) =>
    fn(client).catch((err: unknown) => {
      if (err instanceof ScheduleNotFoundError)
        throw new CliError(`no schedule ${scheduleId}: list them with \`cloud-release schedule list\``, ExitCode.notFound);
      throw err;
    }),
  );
}

function describe(d: ScheduleDescription) {
  const policy = d.action.args?.[0] as SweepPolicy | undefined;
  return {
    scheduleId: d.scheduleId,
    paused: d.state.paused,
    note: d.state.note,
    spec: specLine(d.spec),
    overlap: d.policies.overlap,
    catchupWindowMs: d.policies.catchupWindow,
    workflowId: d.action.workflowId,
    taskQueue: d.action.taskQueue,
    policy,
    nextRuns: d.info.nextActionTimes.slice(0, 3),
    recentRuns: d.info.recentActions.map((a) => ({ scheduledAt: a.scheduledAt, workflowId: a.action.workflow.workflowId })),
    running: d.info.runningActions.map((a) => a.workflow.workflowId),
    runs: d.info.numActionsTaken,
    skippedOverlap: d.info.numActionsSkippedOverlap,
    missedCatchupWindow: d.info.numActionsMissedCatchupWindow,
  };
}

function formatDescription(s: ReturnType<typeof describe>): string[] {
  const p = s.policy;
  return [
    `${s.scheduleId}: ${s.paused ? 'PAUSED' : 'active'}${s.note ? ` (${s.note})` : ''}, ${s.spec}`,
    ...(p
      ? [
          `${p.mode} sweep ${p.name} of ${p.provider} ${p.region}, requested by ${p.requestedBy}, ticket ${p.ticket}; starts ${s.workflowId}-<time> on ${s.taskQueue}`,
        ]
      : []),
    `overlap ${s.overlap}, catch-up window ${every(s.catchupWindowMs)}; ${s.runs} run(s), ${s.skippedOverlap} skipped (overlap), ${s.missedCatchupWindow} missed (catch-up window)`,
    `next: ${s.nextRuns.map(when).join(', ') || 'none'}`,
    ...(s.running.length ? [`running: ${s.running.join(', ')}`] : []),
    ...(s.recentRuns.length ? ['recent:', ...s.recentRuns.map((r) => `  ${when(r.scheduledAt)}  ${r.workflowId}`)] : []),
  ];
}

function done(out: Output, line: string, machine: Record<string, unknown>) {
  out.result(line, machine);
  return ExitCode.ok;
}

export function register(program: Command): void {
  const schedule = program.command('schedule').description('Temporal Schedules of decommission sweeps (overlap skip, a catch-up window)');
  schedule
    .command('create')
    .description('schedule a sweep policy: --cron or --every')
    .argument('<scheduleId>')
    .requiredOption('-f, --input-file <path>', 'the policy as a JSON file, like examples/fleet/sweep-expired.json ("-" for stdin)')
    .option('--cron <expression>', "a cron expression (UTC), e.g. '0 2 * * 6'")
    .option('--every <duration>', 'an interval, e.g. 24h, 7d', duration)
    .option('--catchup <duration>', 'after an outage, take a missed run at most this late (default 1h)', duration, DEFAULT_CATCHUP_WINDOW_MS)
    .option('--paused', 'create it paused')
    .option('--note <text>', 'a note, e.g. why it is paused')
    .action(
      async (scheduleId: string, o: { inputFile: string; cron?: string; every?: number; catchup: number; paused?: boolean; note?: string }, cmd: Command) =>
        run(cmd, async (out) => {
          if ((o.cron === undefined) === (o.every === undefined)) throw new CliError('give exactly one of --cron and --every', ExitCode.usage);
          const policy = policyFrom(o.inputFile);
          const spec: ScheduleSpec = o.cron !== undefined ? { cronExpressions: [o.cron] } : { intervals: [{ every: o.every! }] };
          return withClient(async (client) => {
            await createSweepSchedule(client, scheduleId, policy, spec, { catchupWindowMs: o.catchup, paused: o.paused, note: o.note }).catch(
              (err: unknown) => {
                if (err instanceof ScheduleAlreadyRunning) {
                  throw new CliError(
                    `schedule ${scheduleId} exists already: see it with \`cloud-release schedule describe ${scheduleId}\`, or delete it first`,
                    ExitCode.refused,
                  );
                }
                throw err;
              },
            );
            return done(out, `created ${scheduleId}: ${policy.mode} sweep ${policy.name}; see it with \`cloud-release schedule describe ${scheduleId}\``, {
              scheduleId,
              created: true,
            });
          });
        }),
    );
  schedule
    .command('list')
    .description('the schedules that start decommission sweeps')
    .action(async (_o, cmd: Command) =>
      run(cmd, async (out) =>
        withClient(async (client) => {
          const schedules = (await listSweepSchedules(client)).map((s) => ({
            scheduleId: s.scheduleId,
            paused: s.state.paused,
            spec: specLine(s.spec),
            nextRun: s.info.nextActionTimes[0],
            summary: typeof s.memo?.summary === 'string' ? s.memo.summary : '',
          }));
          const rows = schedules.map((s) => [s.scheduleId, s.paused ? 'paused' : 'active', when(s.nextRun), s.summary, s.spec]);
          return done(out, schedules.length ? table(['SCHEDULE ID', 'STATE', 'NEXT RUN', 'SWEEP', 'TIMES'], rows).join('\n') : 'no sweep schedule', {
            schedules,
          });
        }),
      ),
    );
  schedule
    .command('describe')
    .description('a schedule: its policy, times, state, next and recent runs')
    .argument('<scheduleId>')
    .action(async (scheduleId: string, _o, cmd: Command) =>
      run(cmd, async (out) =>
        onSchedule(scheduleId, async (client) => {
          const d = describe(await describeSweepSchedule(client, scheduleId));
          return done(out, formatDescription(d).join('\n'), d);
        }),
      ),
    );
  const act = (name: string, description: string, fn: (client: Client, id: string, note?: string) => Promise<unknown>, line: string, withNote = false) => {
    const cmd = schedule.command(name).description(description).argument('<scheduleId>');
    if (withNote) cmd.option('--note <text>', 'why (shown by describe)');
    cmd.action(async (scheduleId: string, o: { note?: string }, self: Command) =>
      run(self, async (out) =>
        onSchedule(scheduleId, async (client) => {
          await fn(client, scheduleId, o.note);
          return done(out, `${scheduleId}: ${line}`, { scheduleId, action: name });
        }),
      ),
    );
  };
  act('pause', 'start no run until unpaused', pauseSweepSchedule, 'paused', true);
  act('unpause', 'start runs again', unpauseSweepSchedule, 'unpaused', true);
  act('trigger', 'start a run now (skipped while one of its sweeps still runs)', triggerSweepSchedule, 'triggered (skipped if a run of it is still going)');
  act('delete', 'delete the schedule (its running sweep goes on)', deleteSweepSchedule, 'deleted');
}
