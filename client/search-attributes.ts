// The project's search attributes on a Temporal cluster: registered by `npm run temporal:search-attributes`
// (scripts/search-attributes.ts), checked by the worker before it starts. Both go through the operator service,
// which a self-hosted cluster and the dev server have (Temporal Cloud does not: register them there with tcld or
// the Cloud UI).
import type { Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from '../common/temporal';

/** The command that registers the attributes; named by every error that asks for it. */
export const PROVISION_COMMAND = 'npm run temporal:search-attributes';

/** temporal.api.enums.v1.IndexedValueType, by the SDK's type names. */
const INDEXED_VALUE_TYPE: Record<SearchAttributeType, number> = { TEXT: 1, KEYWORD: 2, INT: 3, DOUBLE: 4, BOOL: 5, DATETIME: 6, KEYWORD_LIST: 7 };
const typeName = (indexed: number): string => Object.entries(INDEXED_VALUE_TYPE).find(([, v]) => v === indexed)?.[0] ?? `type #${indexed}`;

/** A NativeConnection (worker) or a Connection (client): both carry the operator service. */
export interface OperatorConnection {
  operatorService: Pick<Connection['operatorService'], 'listSearchAttributes' | 'addSearchAttributes'>;
}

/** A search attribute key (defineSearchAttributeKey's shape). */
export interface Key {
  name: string;
  type: SearchAttributeType;
}

export interface SearchAttributeCheck {
  namespace: string;
  present: Key[];
  missing: Key[];
  /** Registered under the same name with another type: this project cannot use them, and cannot fix them. */
  conflicting: { key: Key; registeredAs: string }[];
}

export async function checkSearchAttributes(
  connection: OperatorConnection,
  namespace: string,
  wanted: readonly Key[] = SEARCH_ATTRIBUTES,
): Promise<SearchAttributeCheck> {
  let registered: Record<string, number>;
  try {
    const res = await connection.operatorService.listSearchAttributes({ namespace });
    registered = { ...(res.systemAttributes ?? {}), ...(res.customAttributes ?? {}) };
  } catch (err) {
    throw new Error(`could not list the search attributes of namespace "${namespace}": ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const check: SearchAttributeCheck = { namespace, present: [], missing: [], conflicting: [] };
  for (const key of wanted) {
    const actual = registered[key.name];
    if (actual === undefined) check.missing.push(key);
    else if (actual !== INDEXED_VALUE_TYPE[key.type]) check.conflicting.push({ key, registeredAs: typeName(actual) });
    else check.present.push(key);
  }
  return check;
}

const describe = (keys: readonly Key[]) => keys.map((k) => `${k.name} (${k.type})`).join(', ');

function conflictError({ namespace, conflicting }: SearchAttributeCheck): Error {
  return new Error(
    `namespace "${namespace}" has search attributes of the wrong type: ${conflicting.map((c) => `${c.key.name} is ${c.registeredAs}, this project needs ${c.key.type}`).join('; ')}. ` +
      'A search attribute cannot change type: remove it (temporal operator search-attribute remove) or use another namespace.',
  );
}

/** The gRPC status code of a failed call, through the client's and the native connection's error shapes (and our wrapping). */
function grpcCode(err: unknown): number | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined; e && typeof e === 'object'; e = e.cause as typeof e) {
    if (typeof e.code === 'number') return e.code;
  }
  return undefined;
}

/** Errors of the operator service that mean "you may not ask this here" (Temporal Cloud), not "it is missing". */
function cannotAsk(err: unknown): boolean {
  const code = grpcCode(err);
  return code === 7 /* PERMISSION_DENIED */ || code === 12 /* UNIMPLEMENTED */ || code === 16; /* UNAUTHENTICATED */
}

/**
 * The worker's start-up check: throws, naming what is missing and the command to run, unless every search
 * attribute of the project is registered in `namespace` with its type. Where the operator service may not be
 * asked (Temporal Cloud), warns through `warn` and lets the worker start.
 */
export async function assertSearchAttributes(connection: OperatorConnection, namespace: string, warn: (message: string) => void = console.warn): Promise<void> {
  let check: SearchAttributeCheck;
  try {
    check = await checkSearchAttributes(connection, namespace);
  } catch (err) {
    if (!cannotAsk(err)) throw err;
    warn(
      `${err instanceof Error ? err.message : String(err)}: not checked; make sure ${describe(SEARCH_ATTRIBUTES)} are registered in namespace "${namespace}"`,
    );
    return;
  }
  if (check.conflicting.length > 0) throw conflictError(check);
  if (check.missing.length > 0) {
    throw new Error(
      `namespace "${namespace}" lacks search attributes that every release sets: ${describe(check.missing)}. ` +
        `Without them each release would stall at its first upsert. Register them with \`${PROVISION_COMMAND}\` (same TEMPORAL_* settings as this worker), then start the worker again.`,
    );
  }
}

/**
 * Register every search attribute of the project in `namespace`, idempotently: those already there with the
 * right type are left alone; one there with another type is an error (nothing is registered then).
 */
export async function provisionSearchAttributes(connection: OperatorConnection, namespace: string): Promise<{ added: Key[]; present: Key[] }> {
  const before = await checkSearchAttributes(connection, namespace);
  if (before.conflicting.length > 0) throw conflictError(before);
  if (before.missing.length === 0) return { added: [], present: before.present };
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(before.missing.map((k) => [k.name, INDEXED_VALUE_TYPE[k.type]])),
    });
  } catch (err) {
    // Another provisioning may have registered some of them meanwhile (ALREADY_EXISTS): the check below decides.
    if (grpcCode(err) !== 6 /* ALREADY_EXISTS */) {
      throw new Error(`could not register the search attributes in namespace "${namespace}": ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
  }
  const after = await checkSearchAttributes(connection, namespace);
  if (after.conflicting.length > 0) throw conflictError(after);
  if (after.missing.length > 0) throw new Error(`namespace "${namespace}" still lacks ${describe(after.missing)} after registering them`);
  return { added: before.missing, present: before.present };
}
