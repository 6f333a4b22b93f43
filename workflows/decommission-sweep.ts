// decommissionSweep: find what a policy says should go, and either report it (dry runs) or, after telling the
// owners and a grace period, hand what still matches to one batchRelease. See README "Sweeps and schedules".
//
// validate → discover → candidates → report: one releaseResource dry run per candidate (under its
// dry-run/<provider>/<region>/<id> ID), their plan summaries in the result; execute: notify each owner once →
// grace period (durable timer; `optOut` updates) → discover again → the still-matching, not opted out, notified
// ones → one child batchRelease with them as explicit targets.
import {
  ActivityFailure,
  ApplicationFailure,
  ChildWorkflowFailure,
  condition,
  executeChild,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { SA } from '../common/temporal';
import type { BatchReleaseInput, BatchResult } from '../domain/batch';
import type { InventoryItem, InventoryQuery } from '../domain/inventory';
import { dryRunWorkflowId, type ReleaseRequest } from '../domain/request';
import type { ReleaseReport } from '../domain/report';
import { excluded, matches, ownerBy, validateOptOut, validateSweepPolicy, webhookFor, type SweepPolicy, type ValidSweepPolicy } from '../domain/sweep-policy';
import { discovery, notifications } from './sweep-proxies';
import {
  optOutUpdate,
  sweepProgressQuery,
  type OptOutRecord,
  type OwnerNotification,
  type SweepCandidate,
  type SweepExclusion,
  type SweepPhase,
  type SweepResult,
} from './sweep-messages';

export const SweepFailureType = { invalidPolicy: 'InvalidSweepPolicy' } as const;

/** Discovery reads at most this many pages per round (100 items each): the result says when it stopped there. */
const MAX_PAGES = 100;
/** Candidates and exclusions listed in the result (counts are always complete). */
const MAX_LISTED = 500;
/** Report mode: at most this many dry runs, this many at a time. */
const MAX_DRY_RUNS = 100;
const DRY_RUN_CONCURRENCY = 10;

interface Tracked extends SweepCandidate {
  item: InventoryItem;
}

export async function decommissionSweep(input: SweepPolicy, ...extra: unknown[]): Promise<SweepResult> {
  return new Sweep(input, extra).run();
}

class Sweep {
  private phase: SweepPhase = 'validate';
  private readonly startedAt = new Date().toISOString();
  private readonly candidates = new Map<string, Tracked>();
  private readonly exclusions: SweepExclusion[] = [];
  private readonly optOuts = new Map<string, OptOutRecord>();
  private readonly notified = new Set<string>();
  private releaseAfter?: string;
  private discovered = 0;
  private truncated = false;
  private policy?: ValidSweepPolicy;

  constructor(
    private readonly input: SweepPolicy,
    private readonly extra: unknown[],
  ) {
    // Registered before the first await: an update is never lost to a handler not yet set.
    setHandler(sweepProgressQuery, () => ({
      phase: this.phase,
      candidates: [...this.candidates.keys()].slice(0, MAX_LISTED),
      releaseAfter: this.releaseAfter,
      optOuts: [...this.optOuts.values()],
    }));
    setHandler(
      optOutUpdate,
      (...args: unknown[]) => {
        const v = validateOptOut(args);
        if (!v.ok) throw new Error(v.message);
        const record: OptOutRecord = { ...v.value, via: 'update', at: new Date().toISOString() };
        this.optOuts.set(v.value.resourceId, record);
        return record;
      },
      { validator: (...args: unknown[]) => this.checkOptOut(args) },
    );
  }

  private checkOptOut(args: unknown[]): void {
    const v = validateOptOut(args);
    if (!v.ok) throw new Error(v.message);
    if (this.policy?.mode !== 'execute') throw new Error('this sweep releases nothing: there is nothing to opt out of');
    if (this.phase !== 'notify' && this.phase !== 'grace') throw new Error(`opt-outs are taken during the grace period, and this sweep is in ${this.phase}`);
    if (!this.candidates.has(v.value.resourceId)) throw new Error(`${v.value.resourceId} is not a candidate of this sweep`);
    if (this.optOuts.has(v.value.resourceId)) throw new Error(`${v.value.resourceId} was already opted out by ${this.optOuts.get(v.value.resourceId)!.by}`);
  }

  async run(): Promise<SweepResult> {
    const policy = this.validate();
    this.phase = 'discover';
    const items = await this.discover(policy);
    const now = new Date();
    for (const item of items) {
      const reasons = matches(item, policy, now);
      if (reasons.length === 0) continue;
      const why = excluded(item, policy);
      if (why.length > 0) this.exclusions.push({ kind: item.kind, resourceId: item.resourceId, reasons: why });
      else this.candidates.set(item.resourceId, { kind: item.kind, resourceId: item.resourceId, projectId: item.projectId, owner: item.owner, reasons, item });
    }
    if (policy.mode === 'report') {
      this.phase = 'plan';
      await this.dryRuns(policy);
      return this.finish(policy);
    }
    if (this.candidates.size === 0) return this.finish(policy);
    const notices = await this.notify(policy);
    this.phase = 'grace';
    // A durable timer; it ends early once every notified candidate is opted out.
    await condition(() => [...this.notified].every((id) => this.optOuts.has(id)), policy.gracePeriodMs);
    this.phase = 'rediscover';
    const targets = this.stillMatching(policy, await this.discover(policy), new Date());
    this.phase = 'release';
    const batch = targets.length > 0 ? await this.release(policy, targets) : undefined;
    return this.finish(policy, notices, batch);
  }

  private validate(): ValidSweepPolicy {
    const v = this.extra.length > 0 ? undefined : validateSweepPolicy(this.input);
    if (!v || !v.ok) {
      const errors = v ? v.errors : [{ field: '(input)', message: `expected exactly one argument, got ${1 + this.extra.length}` }];
      throw ApplicationFailure.create({
        type: SweepFailureType.invalidPolicy,
        nonRetryable: true,
        message: `invalid sweep policy: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
        details: [errors],
      });
    }
    const policy = v.policy;
    this.policy = policy;
    upsertSearchAttributes([
      { key: SA.provider, value: policy.provider },
      { key: SA.region, value: policy.region },
      { key: SA.requester, value: policy.requestedBy },
    ]);
    upsertMemo({
      summary: `${policy.mode === 'report' ? 'Report' : 'Execute'} sweep ${policy.name} of ${policy.provider} ${policy.region}, ticket ${policy.ticket}`,
    });
    return policy;
  }

  /** Every page of the policy's scope, one listInventory call per page (the tag selector goes to the provider). */
  private async discover(policy: ValidSweepPolicy): Promise<InventoryItem[]> {
    const { listInventory } = discovery(policy.provider);
    const query: InventoryQuery = {
      region: policy.region,
      ...(policy.projectId ? { projectId: policy.projectId } : {}),
      ...(policy.kinds ? { kinds: policy.kinds } : {}),
      ...(policy.match.tags.length ? { tags: policy.match.tags } : {}),
      pageSize: 100,
    };
    const items: InventoryItem[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const page = await listInventory(policy.provider, { ...query, ...(pageToken ? { pageToken } : {}) });
      items.push(...page.items);
      pageToken = page.nextPageToken;
    } while (pageToken && ++pages < MAX_PAGES);
    if (pageToken) this.truncated = true;
    this.discovered = Math.max(this.discovered, items.length);
    return items;
  }

  /** Report mode: a releaseResource dry run per candidate; its plan summary, or why it could not be planned. */
  private async dryRuns(policy: ValidSweepPolicy): Promise<void> {
    const all = [...this.candidates.values()];
    for (const c of all.slice(MAX_DRY_RUNS)) c.plan = `not planned: a report plans at most ${MAX_DRY_RUNS} candidates`;
    const planned = all.slice(0, MAX_DRY_RUNS);
    for (let i = 0; i < planned.length; i += DRY_RUN_CONCURRENCY) {
      await Promise.all(planned.slice(i, i + DRY_RUN_CONCURRENCY).map(async (c) => (c.plan = await this.dryRun(policy, c.item))));
    }
  }

  private async dryRun(policy: ValidSweepPolicy, item: InventoryItem): Promise<string> {
    const request: ReleaseRequest = { ...requestFor(policy, item), dryRun: true };
    try {
      const report = await executeChild<(r: ReleaseRequest) => Promise<ReleaseReport>>('releaseResource', {
        workflowId: dryRunWorkflowId(item),
        args: [request],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      });
      return report.summary;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return 'not planned: a dry run of it is already running';
      if (err instanceof ChildWorkflowFailure && err.cause) return `could not be planned: ${err.cause.message}`;
      throw err;
    }
  }

  /** One webhook per owner; a candidate whose owner was not told is never released by this sweep. */
  private async notify(policy: ValidSweepPolicy): Promise<OwnerNotification[]> {
    this.phase = 'notify';
    const notify = policy.notify!;
    const groups = new Map<string, { owner: string; url: string; items: Tracked[] }>();
    for (const c of this.candidates.values()) {
      const owner = ownerBy(c.item, notify.ownerTag);
      const url = webhookFor(notify, owner);
      if (!url) {
        c.outcome = 'owner-not-notified';
        c.detail = owner ? `no webhook for owner ${owner}` : `no ${notify.ownerTag} tag and no notify.fallback`;
        continue;
      }
      const key = `${owner ?? ''}\n${url}`;
      const group = groups.get(key) ?? { owner: owner ?? '(no owner)', url, items: [] };
      group.items.push(c);
      groups.set(key, group);
    }
    this.releaseAfter = new Date(Date.now() + policy.gracePeriodMs).toISOString();
    const releaseAfter = this.releaseAfter;
    return Promise.all(
      [...groups.values()].map(async ({ owner, url, items }): Promise<OwnerNotification> => {
        const resources = items.map((c) => ({ kind: c.kind, resourceId: c.resourceId, reasons: c.reasons }));
        const ids = items.map((c) => c.resourceId);
        try {
          await notifications.notifyOwner(url, { sweep: policy.name, owner, resources, releaseAfter });
          for (const id of ids) this.notified.add(id);
          return { owner, resources: ids, delivered: true };
        } catch (err) {
          if (!(err instanceof ActivityFailure)) throw err;
          const error = err.cause?.message ?? err.message;
          for (const c of items) Object.assign(c, { outcome: 'owner-not-notified', detail: `the webhook failed: ${error}` });
          return { owner, resources: ids, delivered: false, error };
        }
      }),
    );
  }

  /** After the grace period: the notified candidates that still match, are not excluded and were not opted out. */
  private stillMatching(policy: ValidSweepPolicy, items: InventoryItem[], now: Date): Tracked[] {
    const fresh = new Map(items.map((i) => [i.resourceId, i]));
    const targets: Tracked[] = [];
    for (const c of this.candidates.values()) {
      if (!this.notified.has(c.resourceId)) continue;
      if (this.optOuts.has(c.resourceId)) {
        c.outcome = 'opted-out';
        c.detail = `by ${this.optOuts.get(c.resourceId)!.by}: ${this.optOuts.get(c.resourceId)!.reason}`;
        continue;
      }
      const item = fresh.get(c.resourceId);
      const why = item ? excluded(item, policy) : [];
      const optOutTag = why.find((w) => w.startsWith('opted out by the tag'));
      if (item && optOutTag) {
        this.optOuts.set(c.resourceId, {
          resourceId: c.resourceId,
          by: ownerBy(item, policy.notify!.ownerTag) ?? '(tag)',
          reason: optOutTag,
          via: 'tag',
          at: now.toISOString(),
        });
        Object.assign(c, { outcome: 'opted-out', detail: optOutTag });
      } else if (!item || why.length > 0 || matches(item, policy, now).length === 0) {
        Object.assign(c, { outcome: 'no-longer-matches', detail: !item ? 'no longer listed' : why.length ? why.join('; ') : 'no longer matches the policy' });
      } else {
        c.item = item;
        targets.push(c);
      }
    }
    return targets;
  }

  private async release(policy: ValidSweepPolicy, targets: Tracked[]): Promise<NonNullable<SweepResult['batch']>> {
    const workflowId = `${workflowInfo().workflowId}/batch`;
    const input: BatchReleaseInput = {
      requestedBy: policy.requestedBy,
      ticket: policy.ticket,
      reason: reasonOf(policy),
      targets: targets.map(({ item }) => ({
        provider: item.provider,
        kind: item.kind,
        region: item.region,
        ...(item.projectId ? { projectId: item.projectId } : {}),
        resourceId: item.resourceId,
      })),
      release: policy.release,
    };
    for (const c of targets) c.outcome = 'handed-to-batch';
    try {
      // By type name: the sweep's bundle needs no batch code, and each workflow's versions stay its own.
      const result = await executeChild<(i: BatchReleaseInput) => Promise<BatchResult>>('batchRelease', { workflowId, args: [input] });
      const lines = new Map(result.lines.map((l) => [l.resourceId, l]));
      for (const c of targets) {
        const line = lines.get(c.resourceId);
        c.release = line ? `${line.outcome}${line.message ? `: ${line.message}` : ''}` : 'not in the batch result (past its line limit)';
      }
      return { workflowId, targets: targets.length, counts: result.counts, ...(result.stopped ? { stopped: result.stopped } : {}) };
    } catch (err) {
      if (!(err instanceof ChildWorkflowFailure) && !(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      return { workflowId, targets: targets.length, error: err.cause?.message ?? err.message };
    }
  }

  private finish(policy: ValidSweepPolicy, notices: OwnerNotification[] = [], batch?: SweepResult['batch']): SweepResult {
    this.phase = 'done';
    const candidates = [...this.candidates.values()].map(({ item: _item, ...c }) => c);
    const optOuts = [...this.optOuts.values()];
    const handedToBatch = candidates.filter((c) => c.outcome === 'handed-to-batch').length;
    const truncated = candidates.length > MAX_LISTED || this.exclusions.length > MAX_LISTED;
    const summary =
      policy.mode === 'report'
        ? `report: ${candidates.length} candidate(s) planned as dry runs, ${this.exclusions.length} excluded; nothing released`
        : `${candidates.length} candidate(s), ${this.exclusions.length} excluded, ${this.notified.size} notified, ${optOuts.length} opted out, ${handedToBatch} handed to batchRelease${batch?.error ? ` (which failed: ${batch.error})` : ''}`;
    return {
      sweep: policy.name,
      mode: policy.mode,
      startedAt: this.startedAt,
      endedAt: new Date().toISOString(),
      discovered: this.discovered,
      discoveryTruncated: this.truncated,
      counts: { candidates: candidates.length, excluded: this.exclusions.length, notified: this.notified.size, optedOut: optOuts.length, handedToBatch },
      candidates: candidates.slice(0, MAX_LISTED),
      excluded: this.exclusions.slice(0, MAX_LISTED),
      notifications: notices,
      optOuts,
      ...(this.releaseAfter ? { releaseAfter: this.releaseAfter } : {}),
      ...(batch ? { batch } : {}),
      truncated,
      summary,
    };
  }
}

/** The releaseResource request for one item, with the policy's per-resource options. */
function requestFor(policy: ValidSweepPolicy, item: InventoryItem): ReleaseRequest {
  return {
    provider: item.provider,
    kind: item.kind,
    region: item.region,
    ...(item.projectId ? { projectId: item.projectId } : {}),
    resourceId: item.resourceId,
    requestedBy: policy.requestedBy,
    ticket: policy.ticket,
    reason: reasonOf(policy),
    ...policy.release,
  };
}

const reasonOf = (policy: ValidSweepPolicy) => `decommission sweep ${policy.name}${policy.reason ? `: ${policy.reason}` : ''}`.slice(0, 2000);
