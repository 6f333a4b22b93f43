// Owner notifications of the decommission sweep: a signed JSON webhook per owner.
//
// Signature (verify it before trusting a delivery): the header `X-Cloud-Release-Signature: t=<unix seconds>,v1=<hex>`
// where hex = HMAC-SHA256(secret, `${t}.${raw body}`). A receiver recomputes it over the raw body bytes with the
// shared secret, compares in constant time, and refuses a timestamp older than its tolerance (5 minutes by
// default) so a captured delivery cannot be replayed later: `verifyWebhookSignature` does all of it.
// `X-Cloud-Release-Delivery` is the same on every retry of one delivery, for de-duplication.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Cloud-Release-Signature';
export const DELIVERY_HEADER = 'X-Cloud-Release-Delivery';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export const NotifyFailureType = {
  /** The receiver refused the delivery (a 4xx other than 408/429, or a redirect): not retried. */
  rejected: 'WebhookRejected',
  /** The worker has no webhook secret: nothing is sent unsigned. */
  notConfigured: 'WebhookNotConfigured',
} as const;

export interface OwnerNotice {
  sweep: string;
  owner: string;
  resources: { kind: string; resourceId: string; reasons: string[] }[];
  /** ISO-8601: the end of the grace period. */
  releaseAfter: string;
}

export function signWebhook(secret: string, body: string, timestamp: number): string {
  const hex = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${hex}`;
}

export type Verification = { ok: true; timestamp: number } | { ok: false; reason: string };

/** Check a delivery's signature header against its raw body; `now` in milliseconds. */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  body: string,
  { toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, now = Date.now() }: { toleranceSeconds?: number; now?: number } = {},
): Verification {
  if (!header) return { ok: false, reason: 'no signature header' };
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const signatures = parts.filter(([k, v]) => k === 'v1' && v && /^[0-9a-f]{64}$/.test(v)).map(([, v]) => Buffer.from(v, 'hex'));
  if (!Number.isInteger(t) || signatures.length === 0) return { ok: false, reason: 'malformed signature header' };
  if (Math.abs(now / 1000 - t) > toleranceSeconds) return { ok: false, reason: 'timestamp outside the tolerance' };
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return signatures.some((s) => timingSafeEqual(s, expected)) ? { ok: true, timestamp: t } : { ok: false, reason: 'signature mismatch' };
}

const retryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

export function createNotifyActivities({ webhookSecret }: { webhookSecret?: string }) {
  return {
    /** POST the notice to the owner's webhook, signed; a failure the receiver may recover from is retried by the retry policy. */
    async notifyOwner(url: string, notice: OwnerNotice): Promise<{ status: number }> {
      if (!webhookSecret) {
        throw ApplicationFailure.nonRetryable('the worker has no webhook secret (CLOUD_RELEASE_WEBHOOK_SECRET): nothing sent', NotifyFailureType.notConfigured);
      }
      const { workflowExecution, activityId } = Context.current().info;
      const delivery = `${workflowExecution?.workflowId ?? 'activity'}/${activityId}`;
      const body = JSON.stringify(notice);
      const res = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(10_000), Context.current().cancellationSignal]),
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signWebhook(webhookSecret, body, Math.floor(Date.now() / 1000)),
          [DELIVERY_HEADER]: delivery,
        },
        body,
      });
      await res.body?.cancel();
      if (res.ok) return { status: res.status };
      const message = `the webhook of ${notice.owner} answered HTTP ${res.status}`;
      if (retryableStatus(res.status)) throw ApplicationFailure.retryable(message, 'WebhookUnavailable');
      throw ApplicationFailure.nonRetryable(message, NotifyFailureType.rejected);
    },
  };
}
