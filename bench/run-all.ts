/** Runs every benchmark in bench/ in turn. Each writes bench/results/<name>.json. */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv[2];
const benches = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'run-all.ts' && (only === undefined || f === `${only}.ts`));
let failed = 0;
for (const bench of benches) {
  console.log(`\n== bench/${bench}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${bench}`], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
