// How the workflow code is bundled: one set of options for the worker, the cached and the deployed bundle, the tests,
// the fault suite and the bench, so that what the tests replay is what the workers run.
import type { BundleOptions } from '@temporalio/worker';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The workflows' entry point. */
export const WORKFLOWS_PATH = join(__dirname, 'workflows', 'index.ts');

/**
 * Pure modules, loaded once per workflow thread instead of once per workflow. With the reusable V8 context the SDK
 * evaluates every module a workflow imports anew for each workflow it creates, and again for each replay after an
 * eviction; `preloadModules` evaluates these before any workflow exists and shares them. That is safe only for modules
 * that keep no state and call no workflow API at module scope: `domain/` (the rules, by design pure) and the two
 * `common/` modules the workflows import (test/unit/workflow-bundle.test.ts checks each). Not the workflow modules
 * themselves: their handlers and state are per workflow.
 */
export const PRELOADED_MODULES: readonly string[] = [
  ...readdirSync(join(__dirname, 'domain'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(__dirname, join(e.parentPath, e.name))),
  'common/failure-types.ts',
  'common/temporal.ts',
].sort();

/** The bundler options shared by every bundle of the workflows (the bench adds its floor by another entry point). */
export function workflowBundleOptions(workflowsPath = WORKFLOWS_PATH): Pick<BundleOptions, 'workflowsPath' | 'preloadModules'> {
  return { workflowsPath, preloadModules: PRELOADED_MODULES.map((m) => join(__dirname, m)) };
}
