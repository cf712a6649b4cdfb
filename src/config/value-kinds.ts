import { z } from 'zod';

/**
 * The kinds of value a setting can hold. Each one accepts what a person can write in an environment variable
 * (always a string) or in the YAML file (string, number or boolean), converts it, and on failure reports one
 * issue whose message says what was expected; the loader adds the variable name and the value it got.
 */
export type ValueKind<Output> = z.ZodType<Output, unknown>;

function fail(ctx: z.RefinementCtx, expected: string): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', message: expected });
  return z.NEVER;
}

export function integerValue(min: number, max: number): ValueKind<number> {
  const expected = `expected an integer from ${min} to ${max}`;
  return z.unknown().transform((raw, ctx) => {
    const value =
      typeof raw === 'number'
        ? raw
        : typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw)
          ? Number(raw)
          : NaN;
    if (!Number.isInteger(value) || value < min || value > max) return fail(ctx, expected);
    return value;
  });
}

export function textValue(): ValueKind<string> {
  return z.unknown().transform((raw, ctx) => {
    if (typeof raw !== 'string' || raw.trim() === '') return fail(ctx, 'expected a non-empty string');
    return raw.trim();
  });
}

/** One of a fixed set of words; YAML booleans and numbers are read as their text (`sandbox: true`). */
export function choiceValue<const Choice extends string>(choices: readonly Choice[]): ValueKind<Choice> {
  const expected = `expected one of ${choices.join(', ')}`;
  return z.unknown().transform((raw, ctx) => {
    const text =
      typeof raw === 'string'
        ? raw.trim().toLowerCase()
        : typeof raw === 'boolean' || typeof raw === 'number'
          ? String(raw)
          : undefined;
    const choice = choices.find((candidate) => candidate === text);
    return choice ?? fail(ctx, expected);
  });
}

export function redisUrlValue(): ValueKind<string> {
  return z.unknown().transform((raw, ctx) => {
    const expected = 'expected a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379';
    if (typeof raw !== 'string') return fail(ctx, expected);
    try {
      const url = new URL(raw.trim());
      if ((url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '') return raw.trim();
    } catch {
      // not a URL at all; reported below
    }
    return fail(ctx, expected);
  });
}

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function namespaceValue(): ValueKind<string> {
  return z.unknown().transform((raw, ctx) => {
    if (typeof raw === 'string' && raw.length <= 63 && dns1123Label.test(raw)) return raw;
    return fail(
      ctx,
      "expected a Kubernetes namespace name (lowercase letters, digits and '-', at most 63 characters)",
    );
  });
}

const durationUnits: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration such as `250ms`, `30s`, `5m`, `2h`, `1d` or a combination (`1h30m`), converted to milliseconds.
 * A bare number is read as seconds, as in upstream's flags.
 */
export function durationValue(minMs: number, maxMs: number): ValueKind<number> {
  const expected = `expected a duration like 30s, 5m, 2h or 1d (between ${minMs} ms and ${maxMs} ms)`;
  return z.unknown().transform((raw, ctx) => {
    const ms = parseDuration(raw);
    if (ms === undefined || ms < minMs || ms > maxMs) return fail(ctx, expected);
    return ms;
  });
}

export function parseDuration(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? raw * 1_000 : undefined;
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) return undefined;
  return Math.round(
    parts.reduce((sum, part) => sum + Number(part[1]) * (durationUnits[part[2] ?? ''] ?? NaN), 0),
  );
}

const byteUnits: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1_000,
  kib: 1_024,
  mb: 1_000_000,
  mib: 1_048_576,
};

/** A size such as `1MiB`, `512KiB`, `2000000` (bytes). */
export function byteSizeValue(min: number, max: number): ValueKind<number> {
  const expected = `expected a size in bytes such as 1MiB or 512KiB (from ${min} to ${max} bytes)`;
  return z.unknown().transform((raw, ctx) => {
    const match = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(
      typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw : '',
    );
    const unit = byteUnits[(match?.[2] ?? 'x').toLowerCase()];
    const value = match === null || unit === undefined ? NaN : Number(match[1]) * unit;
    if (!Number.isInteger(value) || value < min || value > max) return fail(ctx, expected);
    return value;
  });
}

/** A list of words separated by commas (environment) or a YAML list (file); empty entries are dropped. */
export function listValue(): ValueKind<string[]> {
  return z.unknown().transform((raw, ctx) => {
    const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
    if (items === undefined || !items.every((item) => typeof item === 'string')) {
      return fail(ctx, 'expected a comma-separated list of values');
    }
    return items.map((item) => item.trim()).filter((item) => item !== '');
  });
}

/** `key=value` pairs separated by commas (environment) or a YAML map of strings (file). */
export function keyValueMapValue(): ValueKind<Record<string, string>> {
  const expected = 'expected key=value pairs separated by commas, e.g. cluster=gpu-prod,region=eu-1';
  return z.unknown().transform((raw, ctx) => {
    const result: Record<string, string> = {};
    if (typeof raw === 'string') {
      for (const pair of raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '')) {
        const at = pair.indexOf('=');
        if (at <= 0) return fail(ctx, expected);
        result[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
      }
      return result;
    }
    if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
      for (const [key, value] of Object.entries(raw)) {
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
          return fail(ctx, expected);
        result[key] = String(value);
      }
      return result;
    }
    return fail(ctx, expected);
  });
}

/** A JSON list in the environment (`[{"a":1}]`) or a YAML list in the file; the items are checked by their user. */
export function jsonListValue(): ValueKind<unknown[]> {
  const expected = 'expected a JSON list, e.g. [{"channel":"C0123","severity":["critical"]}]';
  return z.unknown().transform((raw, ctx) => {
    if (Array.isArray(raw)) return raw as unknown[];
    if (typeof raw !== 'string') return fail(ctx, expected);
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? (parsed as unknown[]) : fail(ctx, expected);
    } catch {
      return fail(ctx, expected);
    }
  });
}
