import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { dataConverterFromEnv } from '../common/codec';
import { TASK_QUEUE } from '../common/temporal';

/**
 * Connection settings from Temporal's environment configuration: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY, TEMPORAL_TLS*, or a profile (TEMPORAL_PROFILE) of the config file
 * (TEMPORAL_CONFIG_FILE, default ~/.config/temporalio/temporal.toml). Unset: localhost:7233, namespace "default".
 */
export function temporalConnectConfig() {
  const { connectionOptions, namespace } = loadClientConnectConfig();
  return { connectionOptions, namespace: namespace ?? 'default' };
}

/** A client with the payload codec of the environment, if any (README "Payload encryption"). */
export async function connectClient(): Promise<Client> {
  const dataConverter = dataConverterFromEnv(); // a bad key configuration fails before connecting
  const { connectionOptions, namespace } = temporalConnectConfig();
  const connection = await Connection.connect(connectionOptions);
  return new Client({ connection, namespace, dataConverter });
}

/**
 * The task queue of the release workflows for this deployment: CLOUD_RELEASE_TASK_QUEUE, else `cloud-release`.
 * The worker polls it (and its per-provider queues); the clients and schedules start releases on it.
 */
export function releaseTaskQueue(env: NodeJS.ProcessEnv = process.env): string {
  return env.CLOUD_RELEASE_TASK_QUEUE?.trim() || TASK_QUEUE;
}
