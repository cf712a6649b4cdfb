/**
 * Regenerate the configuration table in README.md from the settings (src/config/*-settings.ts, composed in
 * src/config/settings.ts):
 *   npx tsx scripts/update-readme-settings.ts          rewrite the section between the markers
 *   npx tsx scripts/update-readme-settings.ts --print  print the table only
 * test/readme-settings.test.ts fails when the README and the settings disagree.
 */
import { readFile, writeFile } from 'node:fs/promises';
import {
  renderSettingsMarkdown,
  replaceSettingsSection,
  settingsSectionEnd,
  settingsSectionStart,
} from '../src/config/index.js';

const readmePath = new URL('../README.md', import.meta.url);

if (process.argv.includes('--print')) {
  process.stdout.write(renderSettingsMarkdown());
} else {
  const updated = replaceSettingsSection(await readFile(readmePath, 'utf8'));
  if (updated === undefined) {
    process.stderr.write(
      `README.md has no settings section; add these two lines where the table goes:\n${settingsSectionStart}\n${settingsSectionEnd}\n`,
    );
    process.exitCode = 1;
  } else {
    await writeFile(readmePath, updated);
    process.stdout.write('README.md settings table updated\n');
  }
}
