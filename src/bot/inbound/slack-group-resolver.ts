/**
 * Which Slack user groups a user belongs to, for approvers lists that name groups (`S…` ids). Members come from
 * `usergroups.users.list` (scope usergroups:read) and are cached per group for `ttlMs`, so a burst of clicks
 * costs one call per group; concurrent lookups of one group share the call. A failed lookup is not cached and
 * counts as "not a member" (the user is then refused and told why, never let through).
 */
import type { Logger } from '../../core/logger.js';

/** The part of the Slack WebClient the resolver uses (WebClient satisfies it). */
export interface UsergroupsClient {
  usergroups: {
    users: {
      list(args: { usergroup: string }): Promise<{ ok?: boolean; users?: string[]; error?: string }>;
    };
  };
}

export interface SlackGroupResolver {
  /** The members of one group (cached). */
  membersOf(groupId: string): Promise<readonly string[]>;
  /** The groups among `candidates` that `userId` belongs to; non-group ids in `candidates` are skipped. */
  groupsOf(userId: string, candidates: readonly string[]): Promise<string[]>;
  /** Forget cached members (all, or one group). */
  invalidate(groupId?: string): void;
}

/** Slack user group ids look like `S0123ABCD`. */
export function isSlackGroupId(id: string): boolean {
  return /^S[A-Z0-9]{2,}$/.test(id);
}

export function createSlackGroupResolver(
  client: UsergroupsClient,
  ttlMs: number,
  options: { clock?: () => number; logger?: Logger } = {},
): SlackGroupResolver {
  const clock = options.clock ?? Date.now;
  const cache = new Map<string, { expiresAt: number; members: Promise<readonly string[]> }>();

  const membersOf = async (groupId: string): Promise<readonly string[]> => {
    const cached = cache.get(groupId);
    if (cached !== undefined && cached.expiresAt > clock()) return await cached.members;
    const members = (async () => {
      const response = await client.usergroups.users.list({ usergroup: groupId });
      return Object.freeze([...(response.users ?? [])]);
    })();
    cache.set(groupId, { expiresAt: clock() + ttlMs, members });
    try {
      return await members;
    } catch (error) {
      if (cache.get(groupId)?.members === members) cache.delete(groupId);
      throw error;
    }
  };

  return {
    membersOf,
    async groupsOf(userId, candidates) {
      const groups = [...new Set(candidates.filter(isSlackGroupId))];
      const found = await Promise.all(
        groups.map(async (group) => {
          try {
            return (await membersOf(group)).includes(userId) ? group : undefined;
          } catch (error) {
            options.logger?.warn({ err: error, group }, 'could not list the members of a Slack user group');
            return undefined;
          }
        }),
      );
      return found.filter((group): group is string => group !== undefined);
    },
    invalidate(groupId) {
      if (groupId === undefined) cache.clear();
      else cache.delete(groupId);
    },
  };
}
