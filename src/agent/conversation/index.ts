export {
  conversationDefaults,
  createConversationStore,
  type ConversationMessage,
  type ConversationRedis,
  type ConversationStore,
  type ConversationStoreOptions,
} from './conversation-store.js';
export { createMemoryConversationRedis } from './memory-conversation-redis.js';
