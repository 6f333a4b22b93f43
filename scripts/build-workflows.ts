// `npm run build:workflows [out]`: bundle the workflow code once, ahead of deployment, so workers start
// without bundling (CLOUD_RELEASE_WORKFLOW_BUNDLE=<out>); Temporal's advice for production workers.
// `npm run build:workflows -- --cache` fills the cache of `cachedWorkflowBundle` instead (npm's `prepare` does).
import { DefaultLogger, bundleWorkflowCode, type BundleOptions } from '@temporalio/worker';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { workflowBundleOptions } from '../workflow-bundle';

const ROOT = resolve(__dirname, '..');
/** Everything the workflows import from the repository lives here (checked at each build, see `extraInputs`). */
const SOURCE_DIRS = ['workflows', 'domain', 'common'];
/**
 * The dependencies as locked and as installed (npm rewrites node_modules/.package-lock.json on every install), the
 * bundler's version, and the bundle's options (this file and workflow-bundle.ts).
 */
const KEY_FILES = [
  'package-lock.json',
  'node_modules/.package-lock.json',
  'node_modules/@temporalio/worker/package.json',
  'scripts/build-workflows.ts',
  'workflow-bundle.ts',
];
export const WORKFLOW_BUNDLE_CACHE = join(ROOT, 'node_modules', '.cache', 'cloud-release', 'workflow-bundle');

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const readIfExists = (path: string) => (existsSync(path) ? readFileSync(path) : '(none)');

/**
 * The cache key: every file under SOURCE_DIRS (names and contents, so an added file counts too), KEY_FILES and
 * the clone's path (the bundle's source maps hold absolute paths).
 */
function sourceKey(): string {
  const hash = createHash('sha256').update(`${ROOT}\0`);
  const files = SOURCE_DIRS.flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(ROOT, join(e.parentPath, e.name))),
  );
  for (const file of [...files.sort(), ...KEY_FILES])
    hash
      .update(`${file}\0`)
      .update(readIfExists(join(ROOT, file)))
      .update('\0');
  return hash.digest('hex').slice(0, 32);
}

/** Repository files outside SOURCE_DIRS that webpack read for the bundle, with their hashes (normally none). */
type Manifest = { extraInputs: Record<string, string> };

const unchanged = (manifest: Manifest) =>
  Object.entries(manifest.extraInputs).every(([file, hash]) => existsSync(join(ROOT, file)) && sha256(readFileSync(join(ROOT, file))) === hash);

async function bundle(logger?: BundleOptions['logger']): Promise<{ code: string; inputs: Set<string> }> {
  const inputs = new Set<string>();
  const { code } = await bundleWorkflowCode({
    ...workflowBundleOptions(),
    logger,
    // webpack's own record of the files it read: the check that the cache key covers them all.
    webpackConfigHook: (config) => ({
      ...config,
      plugins: [
        ...(config.plugins ?? []),
        {
          apply: (compiler) =>
            compiler.hooks.done.tap('cloud-release-inputs', (stats) => {
              for (const file of stats.compilation.fileDependencies) inputs.add(file);
            }),
        },
      ],
    }),
  });
  return { code, inputs };
}

function extraInputs(inputs: Set<string>): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const file of inputs) {
    const rel = relative(ROOT, file);
    const top = rel.split(sep)[0];
    const covered = rel.startsWith('..') || top === 'node_modules' || SOURCE_DIRS.includes(top);
    // Directories count as inputs too; the bundler's generated entrypoint lives in memory only.
    if (!covered && existsSync(file) && statSync(file).isFile()) extra[rel] = sha256(readFileSync(file));
  }
  return extra;
}

/** Written beside the cache entry first, then renamed: readers never see half a file. */
function writeAtomically(path: string, data: string) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * The workflow bundle of the current sources, from the cache in node_modules/.cache when it was built from
 * exactly these sources, otherwise bundled now (a few seconds) and cached, replacing older entries.
 */
export async function cachedWorkflowBundle(
  options: { logger?: BundleOptions['logger']; onBuild?: () => void } = {},
): Promise<{ code: string; cached: boolean }> {
  const key = sourceKey();
  const codePath = join(WORKFLOW_BUNDLE_CACHE, `${key}.js`);
  const manifestPath = join(WORKFLOW_BUNDLE_CACHE, `${key}.json`);
  if (existsSync(codePath) && existsSync(manifestPath) && unchanged(JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest)) {
    return { code: readFileSync(codePath, 'utf8'), cached: true };
  }
  options.onBuild?.();
  const { code, inputs } = await bundle(options.logger ?? new DefaultLogger('WARN'));
  try {
    mkdirSync(WORKFLOW_BUNDLE_CACHE, { recursive: true });
    for (const old of readdirSync(WORKFLOW_BUNDLE_CACHE))
      if (/\.(js|json)$/.test(old) && !old.startsWith(key)) rmSync(join(WORKFLOW_BUNDLE_CACHE, old), { force: true });
    writeAtomically(codePath, code);
    // Last: an entry without its manifest is never used.
    writeAtomically(manifestPath, JSON.stringify({ extraInputs: extraInputs(inputs) } satisfies Manifest));
  } catch (err) {
    // A read-only node_modules only costs the next start the bundling again.
    console.warn(`workflow bundle: not cached (${err instanceof Error ? err.message : String(err)})`);
  }
  return { code, cached: false };
}

async function main() {
  if (process.argv[2] === '--cache') {
    const { code, cached } = await cachedWorkflowBundle();
    console.log(`workflow bundle: ${cached ? 'cached' : 'built'} in ${WORKFLOW_BUNDLE_CACHE} (${Math.round(code.length / 1024)} KiB)`);
    return;
  }
  const out = resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  const { code } = await bundle();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, code);
  console.log(`workflow bundle: ${out} (${Math.round(code.length / 1024)} KiB)`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
