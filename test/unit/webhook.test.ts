import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from '../../activities/notify';

const SECRET = 'whsec-test-0001';
const body = JSON.stringify({
  sweep: 'fleet',
  owner: 'ml-team',
  resources: [{ kind: 'ecs-instance', resourceId: 'i-a', reasons: ['x'] }],
  releaseAfter: '2026-01-01T00:00:00Z',
});
const now = 1_767_000_000_000;
const t = Math.floor(now / 1000);

describe('webhook signatures', () => {
  it('a signature made with the secret verifies', () => {
    const header = signWebhook(SECRET, body, t);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, header, body, { now })).toEqual({ ok: true, timestamp: t });
  });

  it('a tampered body, timestamp, signature or another secret does not', () => {
    const header = signWebhook(SECRET, body, t);
    expect(verifyWebhookSignature(SECRET, header, body.replace('i-a', 'i-b'), { now })).toEqual({ ok: false, reason: 'signature mismatch' });
    expect(verifyWebhookSignature(SECRET, header.replace(`t=${t}`, `t=${t + 1}`), body, { now })).toEqual({ ok: false, reason: 'signature mismatch' });
    const flipped = header.slice(0, -1) + (header.endsWith('0') ? '1' : '0');
    expect(verifyWebhookSignature(SECRET, flipped, body, { now }).ok).toBe(false);
    expect(verifyWebhookSignature('another-secret', header, body, { now }).ok).toBe(false);
  });

  it('an old (or future) timestamp is refused even when correctly signed: no replay', () => {
    const old = signWebhook(SECRET, body, t - 301);
    expect(verifyWebhookSignature(SECRET, old, body, { now })).toEqual({ ok: false, reason: 'timestamp outside the tolerance' });
    expect(verifyWebhookSignature(SECRET, old, body, { now, toleranceSeconds: 600 }).ok).toBe(true);
    expect(verifyWebhookSignature(SECRET, signWebhook(SECRET, body, t + 301), body, { now }).ok).toBe(false);
  });

  it('a missing or malformed header is refused; any one of several v1 signatures may match (secret rotation)', () => {
    expect(verifyWebhookSignature(SECRET, undefined, body, { now })).toEqual({ ok: false, reason: 'no signature header' });
    for (const h of ['', 'garbage', `t=${t}`, `t=x,v1=${'0'.repeat(64)}`, `t=${t},v1=zz`])
      expect(verifyWebhookSignature(SECRET, h, body, { now }).ok).toBe(false);
    const rotated = `${signWebhook('old-secret', body, t)},v1=${signWebhook(SECRET, body, t).split('v1=')[1]}`;
    expect(verifyWebhookSignature(SECRET, rotated, body, { now }).ok).toBe(true);
  });
});
