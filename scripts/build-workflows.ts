// `npm run build:workflows [out]`: bundle the workflow code once, ahead of deployment, so workers start
// without bundling (CLOUD_RELEASE_WORKFLOW_BUNDLE=<out>); Temporal's advice for production workers.
import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

async function main() {
  const out = resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  const { code } = await bundleWorkflowCode({ workflowsPath: join(__dirname, '..', 'workflows', 'index.ts') });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, code);
  console.log(`workflow bundle: ${out} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
