// The release input: every wrong field named at once, defaults filled in.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateReleaseRequest } from '../../activities/validate-request';

const examples = join(__dirname, '..', '..', 'examples');

describe('validateReleaseRequest', () => {
  it('names every wrong field', () => {
    const r = validateReleaseRequest({ provider: 'aws', kind: 'vm', region: 'Hangzhou!', resourceId: 'a b', backup: { confirmWithin: 'soon' }, surprise: true });
    expect(r.ok).toBe(false);
    const fields = !r.ok ? r.errors.map((e) => e.field) : [];
    expect(fields).toEqual(expect.arrayContaining(['provider', 'kind', 'region', 'resourceId', 'requestedBy', 'ticket', 'backup.confirmWithin', 'surprise']));
  });

  it('checks fields against each other', () => {
    const r = validateReleaseRequest({ provider: 'huawei', kind: 'ecs-instance', region: 'cn-north-4', resourceId: 'x', requestedBy: 'a', ticket: 't' });
    expect(!r.ok && r.errors).toEqual([
      { field: 'kind', message: 'kind ecs-instance belongs to provider alibaba, not huawei' },
      { field: 'projectId', message: 'projectId is required for Huawei resources' },
    ]);
  });

  it('rejects what is not an object', () => {
    expect(validateReleaseRequest('release i-123').ok).toBe(false);
    expect(validateReleaseRequest(null).ok).toBe(false);
  });

  it('fills the defaults: backup required within 24h, nothing deleted beyond what the provider deletes', () => {
    const r = validateReleaseRequest({ provider: 'alibaba', kind: 'ecs-instance', region: 'cn-hangzhou', resourceId: 'i-1', requestedBy: 'a', ticket: 't' });
    expect(r.ok && r.request).toMatchObject({
      dryRun: false,
      backup: { required: true, confirmWithinMs: 86_400_000 },
      options: { stopIfRunning: false, retainedDataDisks: 'keep', retainedSnapshots: 'keep', overrideProtectionTag: false },
      drain: { deadlineMs: 7_200_000, failureBudget: 0 },
    });
  });

  it.each(readdirSync(examples).filter((f) => f.endsWith('.json')))('accepts the README example %s, which the README shows verbatim', (file) => {
    const text = readFileSync(join(examples, file), 'utf8').trim();
    expect(validateReleaseRequest(JSON.parse(text)).ok).toBe(true);
    expect(readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8')).toContain(text);
  });
});
