// Copies the non-TypeScript files the built code reads at run time (the sandbox's bundled CRDs) from src/ to dist/.
// `tsc` only emits .js; run after it: `tsc -p tsconfig.build.json && tsx scripts/copy-assets.ts`.
import { cp } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const assetFolders = ['sandbox/crds'];

for (const folder of assetFolders) {
  await cp(join(root, 'src', folder), join(root, 'dist', folder), { recursive: true });
}
