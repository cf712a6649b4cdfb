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
