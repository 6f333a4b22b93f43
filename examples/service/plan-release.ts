// A service that plans the release of a resource through the package's entry point only (`cloud-release`:
// package.json "exports", built by `npm run build`). It validates the request as the workflow will, starts a
// dry run under the resource's canonical dry-run ID and prints the plan's outcome.
//
//   npx tsx examples/service/plan-release.ts examples/alibaba-ecs.json
//
// Connection, namespace and task queue come from the same settings as the worker: TEMPORAL_ADDRESS,
// TEMPORAL_NAMESPACE (or a profile), CLOUD_RELEASE_TASK_QUEUE.
import { readFileSync } from 'node:fs';
import { connectClient, releaseEnding, startRelease, validateReleaseRequest, type ReleaseRequest } from 'cloud-release';

async function main(file: string): Promise<number> {
  const request = { ...(JSON.parse(readFileSync(file, 'utf8')) as ReleaseRequest), dryRun: true };
  const validation = validateReleaseRequest(request);
  if (!validation.ok) {
    for (const e of validation.errors) console.error(`${e.field}: ${e.message}`);
    return 2;
  }
  const client = await connectClient();
  try {
    const ending = await releaseEnding(await startRelease(client, request));
    if (!ending.ok) {
      console.error(`${ending.type ?? 'failed'}: ${ending.message}`);
      return 1;
    }
    const { plan } = ending.report;
    console.log(JSON.stringify({ workflowId: ending.report.workflowId, outcome: ending.report.outcome, plan: plan?.outcome, summary: ending.report.summary }));
    return 0;
  } finally {
    await client.connection.close();
  }
}

main(process.argv[2] ?? 'examples/alibaba-ecs.json').then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
