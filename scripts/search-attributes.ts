// `npm run temporal:search-attributes [-- --check]`: register this project's search attributes (SEARCH_ATTRIBUTES
// in common/temporal.ts) in the namespace of Temporal's environment configuration (TEMPORAL_ADDRESS,
// TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_PROFILE…), through the operator service.
// Idempotent: attributes already there with their type are left alone; one there with another type is an error.
// With --check, only report (exit 1 when something is missing or of the wrong type). Run once per namespace,
// before the first worker starts there (the worker refuses to start without them).
import { Connection } from '@temporalio/client';
import { temporalConnectConfig } from '../client/connection';
import { checkSearchAttributes, provisionSearchAttributes } from '../client/search-attributes';

async function main() {
  const checkOnly = process.argv.includes('--check');
  const { connectionOptions, namespace } = temporalConnectConfig();
  const where = `${connectionOptions.address ?? 'localhost:7233'}, namespace ${namespace}`;
  const connection = await Connection.connect(connectionOptions);
  try {
    if (checkOnly) {
      const { present, missing, conflicting } = await checkSearchAttributes(connection, namespace);
      for (const k of present) console.log(`search attributes: ${k.name} (${k.type}) registered`);
      for (const k of missing) console.log(`search attributes: ${k.name} (${k.type}) MISSING`);
      for (const c of conflicting) console.log(`search attributes: ${c.key.name} is ${c.registeredAs}, needs ${c.key.type}`);
      console.log(`search attributes: ${missing.length + conflicting.length === 0 ? 'all registered' : 'incomplete'} on ${where}`);
      if (missing.length + conflicting.length > 0) process.exitCode = 1;
      return;
    }
    const { added, present } = await provisionSearchAttributes(connection, namespace);
    for (const k of added) console.log(`search attributes: registered ${k.name} (${k.type})`);
    for (const k of present) console.log(`search attributes: ${k.name} (${k.type}) was registered already`);
    console.log(`search attributes: all ${added.length + present.length} registered on ${where}`);
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(`search attributes: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
