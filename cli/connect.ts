// The CLI's connection: the same environment configuration as the worker (client/connection.ts), with errors
// that say which address and namespace were tried and how to change them.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { connectClient, temporalConnectConfig } from '../client/connection';
import { CliError, ExitCode } from './exit-codes';
import type { Target } from './target';

const HOW_TO_SET =
  'set TEMPORAL_ADDRESS=host:port and TEMPORAL_NAMESPACE (or TEMPORAL_PROFILE, a profile of TEMPORAL_CONFIG_FILE, default ~/.config/temporalio/temporal.toml); for the local sandbox run `npm start`';

function where(): { address: string; namespace: string } {
  const { connectionOptions, namespace } = temporalConnectConfig();
  return { address: connectionOptions.address ?? 'localhost:7233', namespace };
}

/** Connect, run `fn`, close: every command that talks to Temporal goes through here (`target`: the release it acts on). */
export async function withClient<T>(fn: (client: Client) => Promise<T>, target?: Target): Promise<T> {
  let client: Client;
  try {
    client = await connectClient();
  } catch (err) {
    const { address, namespace } = where();
    throw new CliError(
      `cannot reach Temporal at ${address} (namespace ${namespace}): ${messageOf(err)}. To use another server, ${HOW_TO_SET}`,
      ExitCode.unavailable,
    );
  }
  try {
    return await fn(client);
  } catch (err) {
    throw explain(err, target);
  } finally {
    await client.connection.close();
  }
}

/** A known error of the service, said with what to fix; anything else as it is. */
function explain(err: unknown, target: Target | undefined): unknown {
  if (target && err instanceof WorkflowNotFoundError) return notFound(target);
  const code = grpcCode(err);
  if (code === 14 /* UNAVAILABLE */ || code === 4 /* DEADLINE_EXCEEDED */) {
    const { address, namespace } = where();
    return new CliError(`Temporal at ${address} (namespace ${namespace}) stopped answering: ${messageOf(err)}. ${HOW_TO_SET}`, ExitCode.unavailable);
  }
  if (code === 5 /* NOT_FOUND */ && /namespace/i.test(messageOf(err))) {
    return new CliError(`${messageOf(err)}: set TEMPORAL_NAMESPACE to an existing namespace (now "${where().namespace}")`, ExitCode.unavailable);
  }
  return err;
}

/** The "no such release" error for a target, naming the workflow ID it looked for. */
function notFound(target: Target): CliError {
  const looked = target.shorthand ? `the canonical ID of ${target.shorthand}, ` : '';
  return new CliError(
    `no release under workflow ID ${target.workflowId} (${looked}namespace ${where().namespace}): check the provider, region and resource ID, or list releases with \`cloud-release list\``,
    ExitCode.notFound,
  );
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function grpcCode(err: unknown): number | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined; e && typeof e === 'object'; e = e.cause as typeof e) {
    if (typeof e.code === 'number') return e.code;
  }
  return undefined;
}
