#!/usr/bin/env node
// Launcher for the `aegis` command: runs the TypeScript sources through tsx (a runtime dependency of the
// checkout after `npm ci`), resolved from this file's location so it works from any working directory.
/* global process */
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
