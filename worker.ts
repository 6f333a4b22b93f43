// The worker process: `npm run worker` (and `npm start`). Connects through Temporal's environment
// configuration, checks that the namespace has the project's search attributes, builds the provider adapters
// from the configuration, and runs until SIGINT/SIGTERM. If one of its workers fails, the others are shut down
// and the process exits non-zero with that worker's error. Run more processes with the same settings to scale out.
import { NativeConnection } from '@temporalio/worker';
import { auditStoreFromEnv } from './audit/from-env';
import { releaseTaskQueue, temporalConnectConfig } from './client/connection';
import { assertSearchAttributes } from './client/search-attributes';
import { dataConverterFromEnv } from './common/codec';
import { providerTaskQueue } from './common/temporal';
import { PROVIDERS } from './domain/resource';
import { loadConfig } from './providers/config';
import { rateLimitsFromEnv } from './providers/rate-limit';
import { createAdapters } from './providers/registry';
import { createWorkers, installRuntime, runWorkers } from './workers';

async function main() {
  const metricsAddress = process.env.CLOUD_RELEASE_METRICS_ADDRESS || undefined;
  installRuntime('INFO', { metricsAddress });
  const config = loadConfig();
  // Shared with the other worker processes through PostgreSQL when configured (providers/rate-limit.ts).
  const limits = rateLimitsFromEnv();
  const { adapters, unconfigured } = createAdapters(config, process.env, { limits });
  const dataConverter = dataConverterFromEnv();
  const { connectionOptions, namespace } = temporalConnectConfig();
  const connection = await NativeConnection.connect(connectionOptions);
  const audit = auditStoreFromEnv();
  let failed = false;
  try {
    const auditStore = await audit;
    await assertSearchAttributes(connection, namespace, (m) => console.warn(`worker: ${m}`));
    const taskQueue = releaseTaskQueue();
    const workers = await createWorkers({
      connection,
      namespace,
      taskQueue,
      deps: { adapters, webhookSecret: process.env.CLOUD_RELEASE_WEBHOOK_SECRET || undefined, auditStore },
      // A bundle built ahead (`npm run build:workflows`) starts the worker in a second or two instead of bundling.
      workflowBundle: process.env.CLOUD_RELEASE_WORKFLOW_BUNDLE ? { codePath: process.env.CLOUD_RELEASE_WORKFLOW_BUNDLE } : undefined,
      dataConverter,
    });
    console.log(
      `worker: polling ${taskQueue} (+ ${PROVIDERS.map((p) => providerTaskQueue(taskQueue, p)).join(', ')}) on ${connectionOptions.address ?? 'localhost:7233'}, namespace ${namespace}`,
    );
    console.log(`worker: providers configured: ${Object.keys(adapters).join(', ') || 'none'}`);
    console.log(`worker: payload encryption ${dataConverter ? 'on (CLOUD_RELEASE_CODEC_KEYS)' : 'off'}`);
    console.log(`worker: metrics ${metricsAddress ? `at http://${metricsAddress}/metrics` : 'off (CLOUD_RELEASE_METRICS_ADDRESS unset)'}`);
    console.log(`worker: audit records to ${auditStore.description}`);
    console.log(`worker: provider request limits ${limits.description}: ${PROVIDERS.map((p) => `${p} ${config[p].rateLimit.requestsPerSecond}/s`).join(', ')}`);
    for (const line of unconfigured) console.log(`worker: not configured: ${line}`);
    await runWorkers(workers);
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    // Every worker has stopped by now (createWorkers and runWorkers see to it). Should closing fail anyway, it must
    // not hide the error that ended the workers.
    await audit.then(
      (store) => store.close(),
      () => undefined, // the error that ended the worker, reported by the catch above
    );
    await limits.close().catch((closeErr: unknown) => {
      console.error(`worker: closing the rate limits failed: ${closeErr instanceof Error ? closeErr.message : String(closeErr)}`);
    });
    await connection.close().catch((closeErr: unknown) => {
      if (!failed) throw closeErr;
      console.error(`worker: closing the connection also failed: ${closeErr instanceof Error ? closeErr.message : String(closeErr)}`);
    });
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`worker: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
