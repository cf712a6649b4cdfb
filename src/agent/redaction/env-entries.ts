/**
 * Container env entries name their secret in a sibling field: `- name: DB_PASSWORD` / `value: hunter2` (YAML)
 * or `{"name":"DB_PASSWORD","value":"hunter2"}` (JSON). When the name is secret (secret-keys.ts), the value is
 * masked. `valueFrom` (a reference to a Secret) is left alone: it holds no secret.
 */
import { secretKindOfName } from './secret-keys.js';
import { marker } from './token-patterns.js';

const yamlEntry = /(\bname:[ \t]*["']?)([\w.-]+)(["']?[ \t]*\r?\n[ \t]*value:[ \t]*)([^\r\n]*)/g;
const jsonEntry = /("name"\s*:\s*")([\w.-]+)("\s*,\s*"value"\s*:\s*")((?:[^"\\]|\\.)*)(")/g;

export function redactEnvEntries(text: string): string {
  return text
    .replace(yamlEntry, (match, head: string, name: string, middle: string, value: string) => {
      const kind = secretKindOfName(name);
      if (kind === undefined || value.trim() === '' || value.includes('[REDACTED:')) return match;
      const quote = /^(["']).*\1\s*$/.exec(value.trim())?.[1] ?? '';
      return `${head}${name}${middle}${quote}${marker(kind)}${quote}`;
    })
    .replace(jsonEntry, (match, head: string, name: string, middle: string, value: string, close: string) => {
      const kind = secretKindOfName(name);
      if (kind === undefined || value === '' || value.includes('[REDACTED:')) return match;
      return `${head}${name}${middle}${marker(kind)}${close}`;
    });
}
