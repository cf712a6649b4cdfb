/**
 * A cluster-check round from its node checks: the counters, the failing items by node (only items with
 * `status: true`, as upstream's `checkResults`), the nodes that could not be checked, and what changed since
 * the previous round (for alerts and the chat digest).
 */
import type { CheckResult, CheckResultsByModule, NodeCheckResult } from '../resources/index.js';
import { failingItems } from './parse-check-results.js';

export interface RoundChild {
  readonly node: string;
  /** The node check's `status.status`; undefined before its first write. */
  readonly status: string | undefined;
  readonly results?: CheckResultsByModule | undefined;
  /** Why it failed (its last condition's message), for unchecked nodes. */
  readonly reason?: string | undefined;
}

export interface UncheckedNode {
  readonly node: string;
  readonly reason: string;
}

export interface RoundSummary {
  readonly desired: number;
  readonly active: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Nodes with at least one failing item, sorted by name. */
  readonly failing: NodeCheckResult[];
  /** Nodes whose check failed, or had not finished when the round ended. */
  readonly unchecked: UncheckedNode[];
  /** Nodes whose check succeeded (their results are known). */
  readonly checked: string[];
}

const finished = new Set(['Succeeded', 'Failed']);

export function summariseRound(children: readonly RoundChild[], roundEnded: boolean): RoundSummary {
  let active = 0;
  let succeeded = 0;
  let failed = 0;
  const failing: NodeCheckResult[] = [];
  const unchecked: UncheckedNode[] = [];
  const checked: string[] = [];
  for (const child of [...children].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0))) {
    if (child.status === 'Succeeded') {
      succeeded += 1;
      checked.push(child.node);
      const bad = failingItems(child.results);
      if (Object.keys(bad).length > 0) failing.push({ name: child.node, resultInfos: bad });
    } else if (child.status === 'Failed') {
      failed += 1;
      unchecked.push({ node: child.node, reason: child.reason ?? 'the check failed' });
    } else {
      active += 1;
      if (roundEnded)
        unchecked.push({ node: child.node, reason: 'the round timed out before the check finished' });
    }
  }
  return { desired: children.length, active, succeeded, failed, failing, unchecked, checked };
}

export function isRoundDone(children: readonly RoundChild[]): boolean {
  return children.every((child) => child.status !== undefined && finished.has(child.status));
}

/** One failing item on one node. */
export interface FailingItem extends CheckResult {
  readonly node: string;
  readonly module: string;
}

export function flattenFailing(results: readonly NodeCheckResult[] | undefined): FailingItem[] {
  const items: FailingItem[] = [];
  for (const node of results ?? []) {
    for (const [module, list] of Object.entries(node.resultInfos ?? {})) {
      for (const item of list) if (item.status === true) items.push({ ...item, node: node.name, module });
    }
  }
  return items;
}

export function failingItemKey(item: Pick<FailingItem, 'node' | 'module' | 'item'>): string {
  return JSON.stringify([item.node, item.module, item.item ?? '']);
}

export interface RoundChanges {
  /** Failing now, not in the previous round. */
  readonly newFailures: FailingItem[];
  /** Failing in the previous round, checked now and no longer failing. */
  readonly recovered: FailingItem[];
  /** Failing now and before. */
  readonly stillFailing: FailingItem[];
  readonly unchecked: UncheckedNode[];
  /** Nodes that were unchecked in the previous round too (not news). */
  readonly newlyUnchecked: UncheckedNode[];
}

export function compareRounds(
  previous: {
    readonly failing: readonly NodeCheckResult[] | undefined;
    readonly unchecked?: readonly string[] | undefined;
  },
  current: RoundSummary,
): RoundChanges {
  const before = new Map(flattenFailing(previous.failing).map((item) => [failingItemKey(item), item]));
  const now = flattenFailing(current.failing);
  const nowKeys = new Set(now.map(failingItemKey));
  const checked = new Set(current.checked);
  const previouslyUnchecked = new Set(previous.unchecked ?? []);
  return {
    newFailures: now.filter((item) => !before.has(failingItemKey(item))),
    stillFailing: now.filter((item) => before.has(failingItemKey(item))),
    recovered: [...before.entries()]
      .filter(([key, item]) => !nowKeys.has(key) && checked.has(item.node))
      .map(([, item]) => item),
    unchecked: current.unchecked,
    newlyUnchecked: current.unchecked.filter((node) => !previouslyUnchecked.has(node.node)),
  };
}
