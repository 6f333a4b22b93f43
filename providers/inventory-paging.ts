import { matchesTags, pageSizeOf, type InventoryItem, type InventoryPage, type InventoryQuery } from '../domain/inventory';
import type { ResourceKind } from '../domain/resource';
import { ProviderError } from './adapter';

/** One kind's list: the page at `cursor` (absent: the first) and the cursor of the next one, if any. */
export type KindLister = (cursor: string | undefined, pageSize: number) => Promise<{ items: InventoryItem[]; next?: string }>;

/** What a page token holds: the kind being listed and the provider's cursor in that kind's list. */
interface TokenState {
  k: ResourceKind;
  c?: string;
}

const encode = (t: TokenState): string => Buffer.from(JSON.stringify(t), 'utf8').toString('base64url');

function decode(provider: string, token: string, kinds: readonly ResourceKind[]): TokenState {
  const invalid = () => new ProviderError(provider, 'InvalidPageToken', 'the page token was not issued by this inventory (or for other kinds)', 'final');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const t = value as Partial<TokenState> | null;
  if (!t || typeof t !== 'object' || !kinds.includes(t.k as ResourceKind) || (t.c !== undefined && typeof t.c !== 'string')) throw invalid();
  return { k: t.k as ResourceKind, ...(t.c !== undefined ? { c: t.c } : {}) };
}

/**
 * One inventory page across kinds: each page is one list call of one kind (the kinds in the query's order),
 * so a page's cost is bounded and a token never skips or repeats an item. Tag conditions are applied to
 * every page, whether or not the provider's list already filtered by them.
 */
export async function pageAcrossKinds(
  provider: string,
  supported: readonly ResourceKind[],
  query: InventoryQuery,
  listers: Partial<Record<ResourceKind, KindLister>>,
  sizeCap?: number,
): Promise<InventoryPage> {
  const kinds = query.kinds && query.kinds.length > 0 ? [...new Set(query.kinds)] : [...supported];
  const unsupported = kinds.filter((k) => !supported.includes(k) || !listers[k]);
  if (unsupported.length > 0)
    throw new ProviderError(provider, 'UnsupportedKind', `the ${provider} inventory does not list ${unsupported.join(', ')}`, 'final');
  const at = query.pageToken ? decode(provider, query.pageToken, kinds) : { k: kinds[0] };
  const { items, next } = await listers[at.k]!(at.c, pageSizeOf(query.pageSize, sizeCap));
  const following = kinds[kinds.indexOf(at.k) + 1];
  const token = next !== undefined ? encode({ k: at.k, c: next }) : following ? encode({ k: following }) : undefined;
  return { items: items.filter((i) => matchesTags(i.tags, query.tags)), ...(token ? { nextPageToken: token } : {}) };
}
