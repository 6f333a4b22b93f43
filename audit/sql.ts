// The little SQL surface both stores need: node-postgres (a pool) and PGlite (embedded) each provide it.

export interface Sql {
  /** One statement, with `$n` parameters. */
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

export interface SqlDatabase extends Sql {
  /** Run `fn` in one transaction on one connection (committed if it resolves, rolled back if it throws). */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
