/**
 * The rules in use, indexed so that matching cost does not grow with the number of rules (DESIGN §3 "Ops"):
 *
 * 1. literal types (no regular-expression metacharacters) are looked up in a Map keyed by status and type;
 * 2. pattern types are tested after: only those of the alert's status whose literal prefix the type starts with
 *    (results are memoised per status and type until the rules change, since alert types repeat);
 * 3. each candidate's label selector is evaluated last, against the alert's labels.
 *
 * Results are deterministic: candidates are ordered by `namespace/name`. Invalid rules never enter the index
 * (`upsert` of an invalid rule removes any earlier version).
 */
import { compareByCodePoint } from '../alerts/index.js';
import { matchesLabelSelector } from '../label-selector.js';
import { compileRule, ruleKey } from './compile-rule.js';
import type { CompiledRule, CompileRuleResult, RuleSource } from './compile-rule.js';
import type { AlertToMatch, MatchResult } from './match-result.js';

interface PatternEntry {
  readonly key: string;
  readonly regex: { test(text: string): boolean };
}

/**
 * The pattern conditions of one status, bucketed by their required literal prefix, so that a type is only
 * tested against patterns whose prefix it starts with (one Map lookup per distinct prefix length).
 */
class PatternBuckets {
  private readonly byPrefix = new Map<string, PatternEntry[]>();
  /** How many entries have a prefix of each length (0: patterns without a known prefix). */
  private readonly lengths = new Map<number, number>();
  size = 0;

  add(prefix: string, entry: PatternEntry): void {
    const bucket = this.byPrefix.get(prefix);
    if (bucket === undefined) this.byPrefix.set(prefix, [entry]);
    else bucket.push(entry);
    this.lengths.set(prefix.length, (this.lengths.get(prefix.length) ?? 0) + 1);
    this.size += 1;
  }

  remove(prefix: string, key: string): void {
    const bucket = this.byPrefix.get(prefix);
    if (bucket === undefined) return;
    const kept = bucket.filter((entry) => entry.key !== key);
    const removed = bucket.length - kept.length;
    if (removed === 0) return;
    if (kept.length === 0) this.byPrefix.delete(prefix);
    else this.byPrefix.set(prefix, kept);
    const left = (this.lengths.get(prefix.length) ?? 0) - removed;
    if (left <= 0) this.lengths.delete(prefix.length);
    else this.lengths.set(prefix.length, left);
    this.size -= removed;
  }

  matching(type: string, into: Set<string>): void {
    for (const length of this.lengths.keys()) {
      if (length > type.length) continue;
      const bucket = this.byPrefix.get(length === 0 ? '' : type.slice(0, length));
      if (bucket === undefined) continue;
      for (const entry of bucket) if (entry.regex.test(type)) into.add(entry.key);
    }
  }
}

/** Memoised pattern results kept at most; the memo is dropped whole when full or when a pattern changes. */
const patternMemoLimit = 65_536;

function literalSlot(status: string, type: string): string {
  return `${status}\u0000${type}`;
}

export class RuleIndex {
  private readonly rules = new Map<string, CompiledRule>();
  private readonly literals = new Map<string, Set<string>>();
  /** Pattern conditions by status. */
  private readonly patterns = new Map<string, PatternBuckets>();
  private patternMemo = new Map<string, readonly string[]>();

  get size(): number {
    return this.rules.size;
  }

  /** The rules in the index, ordered by key. */
  list(): CompiledRule[] {
    return [...this.rules.values()].sort((a, b) => compareByCodePoint(a.key, b.key));
  }

  get(key: string): CompiledRule | undefined {
    return this.rules.get(key);
  }

  /** Compiles `rule` and puts it in the index; an invalid rule is removed instead. */
  upsert(rule: RuleSource): CompileRuleResult {
    const result = compileRule(rule);
    if (result.ok) this.add(result.compiled);
    else this.remove(ruleKey(rule.metadata?.namespace ?? '', rule.metadata?.name ?? ''));
    return result;
  }

  /** Puts an already compiled rule in the index (replacing the rule with the same key). */
  add(compiled: CompiledRule): void {
    this.remove(compiled.key);
    this.rules.set(compiled.key, compiled);
    for (const condition of compiled.conditions) {
      if (condition.type.kind === 'literal') {
        const slot = literalSlot(condition.status, condition.type.value);
        let keys = this.literals.get(slot);
        if (keys === undefined) this.literals.set(slot, (keys = new Set()));
        keys.add(compiled.key);
      } else {
        let buckets = this.patterns.get(condition.status);
        if (buckets === undefined) this.patterns.set(condition.status, (buckets = new PatternBuckets()));
        buckets.add(condition.type.prefix, { key: compiled.key, regex: condition.type.regex });
        this.patternMemo = new Map();
      }
    }
  }

  /** Removes the rule `namespace/name` (or `{namespace, name}`); true if it was there. */
  remove(key: string | { readonly namespace: string; readonly name: string }): boolean {
    const text = typeof key === 'string' ? key : ruleKey(key.namespace, key.name);
    const compiled = this.rules.get(text);
    if (compiled === undefined) return false;
    this.rules.delete(text);
    for (const condition of compiled.conditions) {
      if (condition.type.kind === 'literal') {
        const slot = literalSlot(condition.status, condition.type.value);
        const keys = this.literals.get(slot);
        keys?.delete(text);
        if (keys?.size === 0) this.literals.delete(slot);
      } else {
        const buckets = this.patterns.get(condition.status);
        buckets?.remove(condition.type.prefix, text);
        if (buckets?.size === 0) this.patterns.delete(condition.status);
        this.patternMemo = new Map();
      }
    }
    return true;
  }

  match(alert: AlertToMatch): MatchResult {
    const slot = literalSlot(alert.status, alert.type);
    const literalKeys = this.literals.get(slot);
    const patternKeys = this.patternMatches(slot, alert.status, alert.type);
    const found: CompiledRule[] = [];
    const seen = literalKeys !== undefined && patternKeys.length > 0 ? new Set<string>() : undefined;
    const consider = (key: string): void => {
      if (seen !== undefined) {
        if (seen.has(key)) return;
        seen.add(key);
      }
      const rule = this.rules.get(key);
      if (rule !== undefined && matchesLabelSelector(rule.selector, alert.labels)) found.push(rule);
    };
    if (literalKeys !== undefined) for (const key of literalKeys) consider(key);
    for (const key of patternKeys) consider(key);
    const [only] = found;
    if (only === undefined) return { kind: 'none' };
    if (found.length === 1) return { kind: 'matched', rule: only, templateRef: only.templateRef };
    return { kind: 'many', rules: found.sort((a, b) => compareByCodePoint(a.key, b.key)) };
  }

  private patternMatches(slot: string, status: string, type: string): readonly string[] {
    const buckets = this.patterns.get(status);
    if (buckets === undefined) return [];
    const memo = this.patternMemo.get(slot);
    if (memo !== undefined) return memo;
    const matching = new Set<string>();
    buckets.matching(type, matching);
    const keys = [...matching];
    if (this.patternMemo.size >= patternMemoLimit) this.patternMemo = new Map();
    this.patternMemo.set(slot, keys);
    return keys;
  }
}
