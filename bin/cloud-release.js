#!/usr/bin/env node
// The `cloud-release` command: the built CLI (dist/, from `npm run build`) when there is one, else the
// TypeScript sources through tsx, so a fresh clone's `npx cloud-release` works after `npm install` alone.
/* global require, __dirname, process */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS launcher: require() loads the CLI and tsx's hook */
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const built = join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!existsSync(built)) require('tsx/cjs');
void require(existsSync(built) ? built : join(__dirname, '..', 'cli', 'main.ts')).main(process.argv);
