// The foundation end to end: a real dev server, a worker, a workflow and its activity, the history as audit log.
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertSearchAttributes, checkSearchAttributes } from '../../client/search-attributes';
import { InvalidReleaseRequestError, startRelease } from '../../client/release';
import { SEARCH_ATTRIBUTES } from '../../common/temporal';
import type { ReleaseRequest } from '../../domain/request';
import { startHarness, testNamespace, type Harness } from './harness';

describe('releaseResource on a real Temporal dev server', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ adapters: {} });
  });
  afterAll(async () => h?.close());
  afterEach(async () => h.terminateRunning());

  it('runs in a namespace that has every search attribute of the project (what the worker checks at start-up)', async () => {
    const check = await checkSearchAttributes(h.client.connection, testNamespace());
    expect(check.present.map((k) => k.name)).toEqual(SEARCH_ATTRIBUTES.map((k) => k.name));
    await expect(assertSearchAttributes(h.client.connection, testNamespace())).resolves.toBeUndefined();
  });

  it('the client refuses a bad input itself, naming every wrong field, and starts nothing', async () => {
    const bad = { provider: 'alibaba', kind: 'ecs-instance', region: 'cn-hangzhou', resourceId: 'i-'.padEnd(200, 'x'), ticket: '' };
    const err = await startRelease(h.client, bad as unknown as ReleaseRequest, h.taskQueue).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidReleaseRequestError);
    const fields = (err as InvalidReleaseRequestError).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['resourceId', 'requestedBy', 'ticket']));
    // A megabyte of input (its canonical ID far past Temporal's limit) is refused whole, before any call.
    const huge = await startRelease(h.client, { ...bad, resourceId: 'i-'.padEnd(1_000_000, 'x') } as unknown as ReleaseRequest, h.taskQueue).catch(
      (e: unknown) => e,
    );
    expect((huge as InvalidReleaseRequestError).errors.map((e) => e.field)).toEqual(['(input)']);
    const started: string[] = [];
    for await (const wf of h.client.workflow.list({ query: `TaskQueue = "${h.taskQueue}"` })) started.push(wf.workflowId);
    expect(started).toEqual([]);
  });

  it('rejects a bad input at once, naming every wrong field, and records the validation in the history', async () => {
    const handle = await h.start(
      { provider: 'alibaba', kind: 'bcc-instance', region: 'cn-hangzhou', resourceId: 'i-1', ticket: '' },
      `bad-input-${Date.now()}`,
    );
    const err = await handle.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const failure = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(failure.type).toBe('InvalidReleaseRequest');
    expect(failure.message).toContain('requestedBy: requestedBy is required');
    expect(failure.message).toContain('ticket: ticket must not be empty');
    expect(failure.message).toContain('kind: kind bcc-instance belongs to provider baidu, not alibaba');
    expect((failure.details?.[0] as { outcome: string }).outcome).toBe('invalid-request');

    const history = await handle.fetchHistory();
    const types = history.events!.map((e) => e.eventType);
    const ET = temporal.api.enums.v1.EventType;
    // One validation (a local activity: its marker), one attempt (a bad input never spins in retries), then the audit
    // record of the refusal (a local activity too).
    const activities = history.events!.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(activities).toEqual([]);
    // Both local activities: their markers, in order.
    const validations = history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
    expect(validations).toHaveLength(2);
    const meta = JSON.parse(Buffer.from(validations[0].markerRecordedEventAttributes!.details!.data.payloads![0].data!).toString('utf8')) as {
      activity_type: string;
      attempt: number;
    };
    expect(meta).toMatchObject({ activity_type: 'validateRequest', attempt: 1 });
    expect(types.at(-1)).toBe(ET.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);
  });
});
