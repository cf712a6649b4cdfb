/**
 * Prompt templates live in `prompts/<name>.md` at the repository root (shipped next to `dist/`). An operator can
 * override any of them with a file of the same name in an override directory (AEGIS_PROMPTS_DIR, meant for a
 * mounted ConfigMap). Each prompt is read once per process and cached; a missing override file falls back to
 * the built-in prompt.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AegisError } from '../../core/errors.js';

export interface LoadPromptOptions {
  /** AEGIS_PROMPTS_DIR: a file `<name>.md` here wins over the built-in one. */
  overrideDir?: string | undefined;
  /** Where the built-in prompts are (default: the repository's `prompts/`). */
  defaultDir?: string | undefined;
}

/** The repository's `prompts/` folder (the same relative path from src/agent/prompts and dist/agent/prompts). */
export const builtInPromptsDir = fileURLToPath(new URL('../../../prompts/', import.meta.url));

const cache = new Map<string, Promise<string>>();

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function read(name: string, options: LoadPromptOptions): Promise<string> {
  if (options.overrideDir !== undefined && options.overrideDir !== '') {
    const override = await readIfPresent(join(options.overrideDir, `${name}.md`));
    if (override !== undefined) return override;
  }
  const path = join(options.defaultDir ?? builtInPromptsDir, `${name}.md`);
  const text = await readIfPresent(path);
  if (text === undefined) throw new AegisError('PROMPT_MISSING', `the prompt file ${path} does not exist`);
  return text;
}

/** The text of prompt `name` (e.g. `alert-parse`), from the override directory when it has one. */
export async function loadPrompt(name: string, options: LoadPromptOptions = {}): Promise<string> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
    throw new AegisError(
      'PROMPT_NAME_INVALID',
      `prompt names are lower-case words with dashes, not ${JSON.stringify(name)}`,
    );
  }
  const key = `${options.overrideDir ?? ''}\u0000${options.defaultDir ?? ''}\u0000${name}`;
  let text = cache.get(key);
  if (text === undefined) {
    text = read(name, options);
    cache.set(key, text);
    text.catch(() => cache.delete(key)); // a failed read is retried next time
  }
  return await text;
}

/** Forget cached prompts (tests, or a reload after the ConfigMap changed). */
export function clearPromptCache(): void {
  cache.clear();
}

/**
 * Replace each `{{name}}` in `template` with `values[name]` in one pass (values are not re-scanned, so a payload
 * containing `{{raw}}` stays as it is). Unknown placeholders throw, so a typo in an override is caught early.
 */
export function renderPrompt(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*([A-Za-z][\w-]*)\s*\}\}/g, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) {
      throw new AegisError('PROMPT_PLACEHOLDER_UNKNOWN', `the prompt uses {{${key}}}, which is not provided`);
    }
    return value;
  });
}
