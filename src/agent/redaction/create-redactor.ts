/**
 * The redactor every text bound for the model passes through (tool outputs, alert payloads, chat history).
 * What it masks, with the kind in `[REDACTED:<kind>]`:
 * - by shape, anywhere (token-patterns.ts): PEM private keys, JWTs (Kubernetes service-account tokens are
 *   JWTs), AWS access key ids, GCP API keys, GitHub, Slack and OpenAI-style tokens, Slack webhook URLs, Azure
 *   AccountKey / SharedAccessKey / SAS signatures, passwords in URLs, Bearer and Basic credentials;
 * - by name (redact-pairs.ts): values of `key=value`, `key: value`, `"key": "value"` pairs whose key names a
 *   secret (password, passwd, secret, token, api key, access key, client secret, credential, private key,
 *   authorization, cookie, ...), which covers `aws_secret_access_key=...`, env dumps and query strings;
 * - Kubernetes Secrets (secret-objects.ts): dropped whole from structured values, data masked in text;
 * - the configured extra patterns (kind `custom`).
 *
 * Deliberately NOT masked (over-redaction would blind the diagnosis): names that merely contain a secret word
 * (`secretName: tls-cert`, `secretKeyRef`, `prompt_tokens: 120`, a `token-bucket` limiter in prose, a pod named
 * `vault-token-renewer-7c9d`), the words "Bearer"/"Basic" in prose, IPs, node and pod names, certificates
 * (public), hashes and ids. A password given as the next word (`password hunter2`, `--password s3cr3t!`) is masked
 * when that word looks like a credential. Known gaps: `-p secret`, and secrets with no recognisable shape or name.
 */
import type { LinearPattern } from '../../core/linear-patterns/index.js';
import { redactEnvEntries } from './env-entries.js';
import { redactSecretPairs } from './redact-pairs.js';
import { looksLikeSecretObject, redactSecretDataInText, secretOmitted } from './secret-objects.js';
import { secretKindOfName } from './secret-keys.js';
import { marker, tokenRules } from './token-patterns.js';

export interface RedactorOptions {
  /**
   * More patterns to mask (from AEGIS_REDACT_PATTERNS, see parseRedactPatterns: RE2, linear time); each whole
   * match becomes `[REDACTED:custom]`.
   */
  extraPatterns?: readonly LinearPattern[];
  /**
   * Longest string of a structured value (redactValue) kept, in characters (default 32,768): longer ones are cut
   * BEFORE they are scanned, with a note saying how long they were, so one huge field costs a bounded time.
   */
  maxStringChars?: number;
}

export interface Redactor {
  /** The text with every recognised secret replaced by `[REDACTED:<kind>]`. */
  redact(text: string): string;
  /**
   * A deep copy of a JSON-like value with strings redacted, values of secret-named fields masked, and any
   * object that looks like a Kubernetes Secret replaced by `[secret omitted]`. Non-plain values (Dates,
   * Buffers, functions) are turned into strings first. Cycles are cut (`[circular]`).
   */
  redactValue<T>(value: T): T | string;
}

/** `text` cut to `limit` characters, with a note saying so (a surrogate pair is never split). */
export function cutToBudget(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = limit;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}… [cut: ${text.length} characters, the first ${end} kept]`;
}

export function createRedactor(options: RedactorOptions = {}): Redactor {
  const extra = options.extraPatterns ?? [];
  const maxStringChars = options.maxStringChars ?? 32_768;

  const redact = (text: string): string => {
    if (text === '') return text;
    let result = redactSecretDataInText(text);
    for (const rule of tokenRules) {
      rule.pattern.lastIndex = 0;
      const replace = rule.replace;
      result =
        replace === undefined
          ? result.replace(rule.pattern, marker(rule.kind))
          : result.replace(rule.pattern, (match: string, ...groups: unknown[]) =>
              replace(match, ...groups.map((group) => (typeof group === 'string' ? group : undefined))),
            );
    }
    result = redactEnvEntries(result);
    result = redactSecretPairs(result);
    for (const pattern of extra) result = pattern.replaceAll(result, () => marker('custom'));
    return result;
  };

  const redactDeep = (value: unknown, seen: WeakSet<object>): unknown => {
    if (typeof value === 'string') return redact(cutToBudget(value, maxStringChars));
    if (value === null || typeof value !== 'object') {
      return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
    }
    if (seen.has(value)) return '[circular]';
    if (Array.isArray(value)) {
      seen.add(value);
      const items = value.map((item) => redactDeep(item, seen));
      seen.delete(value);
      return items;
    }
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      // Dates, Buffers, class instances: as JSON would show them.
      const json: unknown = JSON.parse(JSON.stringify(value) ?? 'null');
      return typeof json === 'object' && json !== null ? redactDeep(json, seen) : redactDeep(json, seen);
    }
    const record = value as Record<string, unknown>;
    if (looksLikeSecretObject(record)) return secretOmitted;
    seen.add(value);
    const output: Record<string, unknown> = {};
    // An env entry `{name: DB_PASSWORD, value: ...}` names its secret in a sibling field.
    const envKind =
      typeof record['name'] === 'string' && 'value' in record ? secretKindOfName(record['name']) : undefined;
    for (const [key, item] of Object.entries(record)) {
      const kind = key === 'value' && envKind !== undefined ? envKind : secretKindOfName(key);
      if (kind !== undefined && (typeof item === 'string' || typeof item === 'number') && item !== '') {
        output[key] = marker(kind);
      } else {
        output[key] = redactDeep(item, seen);
      }
    }
    seen.delete(value);
    return output;
  };

  return {
    redact,
    redactValue: <T>(value: T): T | string => redactDeep(value, new WeakSet()) as T | string,
  };
}
