/**
 * A conversation's history (one Slack thread, one `aegis chat` session) in Redis: a list per conversation,
 * newest last, trimmed to the last `maxMessages`, expiring `ttlSeconds` after the last write. Only the
 * question and the final answer of each turn are kept (tool results are re-read when needed, so stale cluster
 * state is not replayed as fact), and every text is redacted before it is stored.
 */

/** The Redis commands the store uses; an ioredis `Redis` satisfies it. */
export interface ConversationRedis {
  rpush(key: string, ...values: string[]): Promise<number>;
  ltrim(key: string, start: number, stop: number): Promise<unknown>;
  lrange(key: string, start: number, stop: number): Promise<string[]>;
  expire(key: string, seconds: number): Promise<number>;
  del(...keys: string[]): Promise<number>;
}

export interface ConversationMessage {
  role: 'user' | 'assistant';
  text: string;
  /** ISO time it was stored. */
  at: string;
  /** Chat user id of a user message. */
  user?: string;
}

export interface ConversationStore {
  /** The history, oldest first, bounded by the message and character limits. */
  load(conversationId: string): Promise<ConversationMessage[]>;
  append(conversationId: string, messages: readonly ConversationMessage[]): Promise<void>;
  clear(conversationId: string): Promise<void>;
}

export interface ConversationStoreOptions {
  redis: ConversationRedis;
  /** Key prefix, e.g. `aegis:` (the queue prefix); keys are `<prefix>agent:conversation:<id>`. */
  prefix?: string;
  /** AEGIS_AGENT_HISTORY_TTL (default 24 h). */
  ttlSeconds?: number;
  /** AEGIS_AGENT_HISTORY_MESSAGES (default 20). */
  maxMessages?: number;
  /** Bound on the characters of history given to the model (default 12,000); older messages are dropped. */
  maxCharacters?: number;
  /** Redaction before storage. */
  redact: (text: string) => string;
}

export const conversationDefaults = {
  ttlSeconds: 24 * 60 * 60,
  maxMessages: 20,
  maxCharacters: 12_000,
} as const;

export function createConversationStore(options: ConversationStoreOptions): ConversationStore {
  const { redis, redact } = options;
  const ttlSeconds = options.ttlSeconds ?? conversationDefaults.ttlSeconds;
  const maxMessages = options.maxMessages ?? conversationDefaults.maxMessages;
  const maxCharacters = options.maxCharacters ?? conversationDefaults.maxCharacters;
  const keyOf = (id: string) => `${options.prefix ?? 'aegis:'}agent:conversation:${id}`;

  return {
    async load(conversationId) {
      const raw = await redis.lrange(keyOf(conversationId), -maxMessages, -1);
      const messages = raw.flatMap((entry) => {
        const parsed = parseMessage(entry);
        return parsed === undefined ? [] : [parsed];
      });
      // Newest first until the character budget is spent; a history never starts with an orphan answer.
      const kept: ConversationMessage[] = [];
      let characters = 0;
      for (let index = messages.length - 1; index >= 0; index -= 1) {
        const message = messages[index];
        if (message === undefined) continue;
        characters += message.text.length;
        if (characters > maxCharacters) break;
        kept.unshift(message);
      }
      while (kept[0]?.role === 'assistant') kept.shift();
      return kept;
    },

    async append(conversationId, messages) {
      if (messages.length === 0) return;
      const key = keyOf(conversationId);
      const entries = messages.map((message) =>
        JSON.stringify({ ...message, text: redact(message.text).slice(0, maxCharacters) }),
      );
      await redis.rpush(key, ...entries);
      await redis.ltrim(key, -maxMessages, -1);
      await redis.expire(key, ttlSeconds);
    },

    async clear(conversationId) {
      await redis.del(keyOf(conversationId));
    },
  };
}

function parseMessage(entry: string): ConversationMessage | undefined {
  try {
    const value = JSON.parse(entry) as Partial<ConversationMessage>;
    if ((value.role !== 'user' && value.role !== 'assistant') || typeof value.text !== 'string')
      return undefined;
    return {
      role: value.role,
      text: value.text,
      at: typeof value.at === 'string' ? value.at : '',
      ...(typeof value.user === 'string' ? { user: value.user } : {}),
    };
  } catch {
    return undefined;
  }
}
