/**
 * Kubernetes Secret objects. Structured values (tool outputs) that look like a Secret are dropped whole
 * (`[secret omitted]`): `kind: Secret` / `SecretList`, or an object with `metadata`, a `data` or `stringData`
 * object and a string `type` (the items of a Secret list, which carry no `kind`). In plain text (YAML or JSON
 * printed by kubectl) that mentions `kind: Secret`, every value under `data:` / `stringData:` is masked.
 */
import { marker } from './token-patterns.js';

export const secretOmitted = '[secret omitted]';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function looksLikeSecretObject(value: Record<string, unknown>): boolean {
  const kind = value['kind'];
  if (kind === 'Secret' || kind === 'SecretList') return true;
  return (
    isRecord(value['metadata']) &&
    (isRecord(value['data']) || isRecord(value['stringData'])) &&
    typeof value['type'] === 'string'
  );
}

const yamlSecretKind = /^\s*(?:-\s+)?kind:\s*["']?Secret["']?\s*$/m;
const jsonSecretKind = /"kind"\s*:\s*"Secret"/;
const yamlDataBlock = /^([ \t]*)(?:-[ \t]+)?(data|stringData):[ \t]*\r?\n((?:\1[ \t]+\S.*(?:\r?\n|$))+)/gm;
const yamlDataLine = /^([ \t]+)([^:\s][^:\n]*?):[ \t]*\S.*$/gm;
const jsonDataObject = /("(?:data|stringData)"\s*:\s*\{)([^{}]*)(\})/g;
const jsonDataPair = /("(?:[^"\\]|\\.)*"\s*:\s*)"(?:[^"\\]|\\.)*"/g;

/** Mask the values of Secret `data` / `stringData` in kubectl-style YAML or JSON text. */
export function redactSecretDataInText(text: string): string {
  let result = text;
  if (yamlSecretKind.test(result)) {
    result = result.replace(yamlDataBlock, (block: string, ...groups: unknown[]) => {
      const lines = typeof groups[2] === 'string' ? groups[2] : '';
      const head = block.slice(0, block.length - lines.length);
      return head + lines.replace(yamlDataLine, `$1$2: ${marker('secret-data')}`);
    });
  }
  if (jsonSecretKind.test(result)) {
    result = result.replace(
      jsonDataObject,
      (_match, open: string, body: string, close: string) =>
        `${open}${body.replace(jsonDataPair, `$1"${marker('secret-data')}"`)}${close}`,
    );
  }
  return result;
}
