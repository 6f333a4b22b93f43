// Verify, then report: after the release, every item the plan says is deleted or kept is read again, and the
// report states what was observed. Any difference from the plan is a discrepancy, named in the report.
import type { ItemRecord } from '../domain/report';
import type { ResourceRef } from '../domain/resource';
import type { Observation } from '../providers/adapter';
import { failureMessage, type Audit } from './audit';
import type { ProviderActivities } from './proxies';

/** An item of the report and what the plan expects of it. */
export interface Expectation {
  record: ItemRecord;
  expect: 'gone' | 'present';
}

/** Reads while the provider is still removing something (EVS and ECS delete asynchronously). */
const SETTLE_ATTEMPTS = 30;

/** Read every item, set what was observed on its record, and return the discrepancies (each a sentence). */
export async function verifyItems(p: ProviderActivities, audit: Audit, ref: ResourceRef, expectations: Expectation[]): Promise<string[]> {
  if (expectations.length === 0) return [];
  const items = expectations.map(({ record }) => ({ type: record.type, id: record.id }));
  let seen: Observation[];
  try {
    seen = await audit.step('verify', `read ${items.length} item(s) again`, () => p.observeItems(ref, items, SETTLE_ATTEMPTS));
  } catch (err) {
    for (const e of expectations) e.record.observed = 'unknown';
    return [`nothing could be verified (${failureMessage(err)}): every item's state is unknown`];
  }
  const key = (o: { type: string; id: string }) => `${o.type}:${o.id}`;
  const byKey = new Map(seen.map((o) => [key(o), o]));
  const discrepancies: string[] = [];
  for (const { record, expect } of expectations) {
    const o = byKey.get(key(record));
    const state = o?.state ?? 'unknown';
    record.observed = state;
    const what = `${record.type} ${record.id}`;
    if (state === 'unknown') discrepancies.push(`${what}: could not be read${o?.detail ? ` (${o.detail})` : ''}, so whether it is ${expect} is unknown`);
    else if (expect === 'present' && state !== 'present')
      discrepancies.push(`${what}: planned to be kept, but it is ${state}${o?.detail ? ` (${o.detail})` : ''}`);
    else if (expect === 'gone' && state === 'present')
      discrepancies.push(`${what}: planned to be deleted, but it is still there${o?.detail ? ` (${o.detail})` : ''}`);
  }
  return discrepancies;
}
