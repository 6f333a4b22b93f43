// The worker process: `npm run worker` (and `npm start`). Connects through Temporal's environment
// configuration, builds the provider adapters from the configuration, and runs until SIGINT/SIGTERM.
// Run more processes with the same settings to scale out.
import { NativeConnection } from '@temporalio/worker';
import { temporalConnectConfig } from './client/connection';
import { TASK_QUEUE, providerTaskQueue } from './common/temporal';
import { PROVIDERS } from './domain/resource';
import { loadConfig } from './providers/config';
import { createAdapters } from './providers/registry';
import { createWorkers, installRuntime, runWorkers } from './workers';

async function main() {
  installRuntime('INFO');
  const config = loadConfig();
  const { adapters, unconfigured } = createAdapters(config);
  const { connectionOptions, namespace } = temporalConnectConfig();
  const connection = await NativeConnection.connect(connectionOptions);
  try {
    const taskQueue = process.env.CLOUD_RELEASE_TASK_QUEUE || TASK_QUEUE;
    const workers = await createWorkers({
      connection,
      namespace,
      taskQueue,
      deps: { adapters },
      rateLimits: { alibaba: config.alibaba.rateLimit.requestsPerSecond, baidu: config.baidu.rateLimit.requestsPerSecond, huawei: config.huawei.rateLimit.requestsPerSecond },
      // A bundle built ahead (`npm run build:workflows`) starts the worker in a second or two instead of bundling.
      workflowBundle: process.env.CLOUD_RELEASE_WORKFLOW_BUNDLE ? { codePath: process.env.CLOUD_RELEASE_WORKFLOW_BUNDLE } : undefined,
    });
    console.log(`worker: polling ${taskQueue} (+ ${PROVIDERS.map((p) => providerTaskQueue(taskQueue, p)).join(', ')}) on ${connectionOptions.address ?? 'localhost:7233'}, namespace ${namespace}`);
    console.log(`worker: providers configured: ${Object.keys(adapters).join(', ') || 'none'}`);
    for (const line of unconfigured) console.log(`worker: not configured: ${line}`);
    await runWorkers(workers);
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
