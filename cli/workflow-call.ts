// Talking to one batch or sweep: an unknown workflow ID exits 6 naming the ID it looked for, an update the
// workflow rejects exits 8 with its reason.
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { temporalConnectConfig } from '../client/connection';
import { withClient } from './connect';
import { CliError, ExitCode } from './exit-codes';

export interface Subject {
  /** "batch" or "sweep". */
  kind: string;
  workflowId: string;
  /** How to find the right one, e.g. "list batches with `temporal workflow list …`". */
  hint: string;
}

export function withWorkflow<T>(subject: Subject, fn: (client: Client) => Promise<T>): Promise<T> {
  return withClient((client) =>
    fn(client).catch((err: unknown) => {
      if (err instanceof WorkflowNotFoundError) {
        const { namespace } = temporalConnectConfig();
        throw new CliError(`no ${subject.kind} under workflow ID ${subject.workflowId} (namespace ${namespace}): ${subject.hint}`, ExitCode.notFound);
      }
      if (err instanceof WorkflowUpdateFailedError) {
        throw new CliError(`${subject.workflowId} refused the update: ${err.cause?.message ?? err.message}`, ExitCode.refused);
      }
      throw err;
    }),
  );
}
