// Copies the non-TypeScript files the built code reads at run time (the sandbox's bundled CRDs) from src/ to
// dist/, then stamps the build (scripts/ensure-build.js compares the stamp with the sources).
// Run after tsc: `tsc -p tsconfig.build.json && node scripts/copy-assets.js`.
import { cp, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const assetFolders = ['sandbox/crds'];

for (const folder of assetFolders) {
  await cp(join(root, 'src', folder), join(root, 'dist', folder), { recursive: true });
}
await writeFile(join(root, 'dist', '.build-stamp'), `${new Date().toISOString()}\n`);
