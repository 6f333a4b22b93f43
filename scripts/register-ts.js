// `node --require ./scripts/register-ts.js scripts/sandbox.ts` (npm start): TypeScript for require() with tsx's own
// esbuild, and nothing else. tsx's loader also hooks every node_modules file and resolution, which made it about a
// second of CPU of the sandbox's start (the cloud SDKs and Temporal's are large); this one only compiles .ts files,
// and keeps what it compiled in node_modules/.cache (one entry per source file, used only for the same source).
/* global require, __dirname, __filename, process */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS require hook */
'use strict';
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const ESBUILD = require.resolve('esbuild', { paths: [dirname(require.resolve('tsx/package.json'))] });
const TSCONFIG = readFileSync(join(__dirname, '..', 'tsconfig.json'), 'utf8');
const CACHE = join(__dirname, '..', 'node_modules', '.cache', 'cloud-release', 'ts');
/** What else decides the output: the compiler's version, the tsconfig and the options below. */
const SALT = [readFileSync(join(dirname(ESBUILD), '..', 'package.json'), 'utf8'), TSCONFIG, readFileSync(__filename, 'utf8')].join('\0');
const sha1 = (text) => createHash('sha1').update(text).digest('hex');

function compile(source, filename) {
  // Loaded on the first cache miss only.
  return require(ESBUILD).transformSync(source, {
    loader: 'ts',
    format: 'cjs',
    target: 'node20',
    sourcefile: filename,
    sourcemap: 'inline',
    tsconfigRaw: TSCONFIG,
    // import() of a .ts module goes through require() too: Node's ESM loader cannot load .ts files.
    supported: { 'dynamic-import': false },
  }).code;
}

function cached(source, filename) {
  const key = sha1(`${SALT}\0${source}`);
  const entry = join(CACHE, `${sha1(filename)}.json`);
  try {
    const hit = JSON.parse(readFileSync(entry, 'utf8'));
    if (hit.key === key) return hit.code;
  } catch {
    // no entry yet, or a broken one: compiled again below
  }
  const code = compile(source, filename);
  try {
    mkdirSync(CACHE, { recursive: true });
    writeFileSync(`${entry}.${process.pid}`, JSON.stringify({ key, code }));
    renameSync(`${entry}.${process.pid}`, entry); // atomic: a parallel start never reads half an entry
  } catch {
    // a read-only node_modules: compiled on every start
  }
  return code;
}

// Stack traces point into the .ts sources, as under tsx.
process.setSourceMapsEnabled(true);
require.extensions['.ts'] = (module, filename) => module._compile(cached(readFileSync(filename, 'utf8'), filename), filename);
