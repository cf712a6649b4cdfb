#!/usr/bin/env node
// Launcher for the `aegis` command: runs the compiled JavaScript in dist/ (`npm run build`; `npm start` and
// scripts/setup.sh build it when missing or stale). No TypeScript tooling is needed at run time.
/* global process, URL */
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('aegis: dist/main.js is missing; build it first with `npm run build`\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
