#!/usr/bin/env node
// Builds dist/ (`npm run build`) when it is missing or older than a source file, so `npm start` and
// `bin/aegis.js` on a fresh checkout run what src/ says. Plain JavaScript: it runs before anything is compiled.
// In an image (no src/ next to dist/) there is nothing to compare and nothing is built.
/* global process, console */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');
const inputs = ['src', 'prompts', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];

/** The newest modification time under `path` (a file or a folder). */
function newest(path) {
  const info = statSync(path, { throwIfNoEntry: false });
  if (info === undefined) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

if (!existsSync(join(root, 'src'))) process.exit(0);
const built = statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const sources = Math.max(...inputs.map((input) => newest(join(root, input))));
if (built >= sources) process.exit(0);
console.error(built === 0 ? 'aegis: building dist/ (first run)' : 'aegis: sources changed; rebuilding dist/');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
