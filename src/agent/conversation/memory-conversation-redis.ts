/**
 * The few list commands the conversation store uses, in memory: for `aegis chat` without Redis (a terminal
 * session lives in one process) and for unit tests. Expiry is not needed there and is ignored.
 */
import type { ConversationRedis } from './conversation-store.js';

function range<T>(items: readonly T[], start: number, stop: number): T[] {
  const from = start < 0 ? Math.max(0, items.length + start) : start;
  const to = stop < 0 ? items.length + stop : stop;
  return items.slice(from, to + 1);
}

export function createMemoryConversationRedis(): ConversationRedis {
  const lists = new Map<string, string[]>();
  return {
    rpush: (key, ...values) => {
      const list = lists.get(key) ?? [];
      list.push(...values);
      lists.set(key, list);
      return Promise.resolve(list.length);
    },
    ltrim: (key, start, stop) => {
      lists.set(key, range(lists.get(key) ?? [], start, stop));
      return Promise.resolve('OK');
    },
    lrange: (key, start, stop) => Promise.resolve(range(lists.get(key) ?? [], start, stop)),
    expire: (key) => Promise.resolve(lists.has(key) ? 1 : 0),
    del: (...keys) => Promise.resolve(keys.filter((key) => lists.delete(key)).length),
  };
}
