/** What every inbound listener gets: services, the Slack port, the group resolver, logging and failure handling. */
import { randomUUID } from 'node:crypto';
import { isAegisError } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import type { InboundMetrics } from '../inbound-metrics.js';
import type { AgentPort, InboundServices } from '../inbound-services.js';
import type { SlackGroupResolver } from '../slack-group-resolver.js';
import type { SlackWebApi } from '../slack-web-api.js';
import type { ChatRights } from '../commands/chat-rights.js';

export interface ListenerContext {
  services: InboundServices;
  slack: SlackWebApi;
  groups: SlackGroupResolver;
  agent?: AgentPort | undefined;
  logger: Logger;
  metrics: InboundMetrics;
  clock: () => Date;
  /** Who may silence, unsilence and run from chat, and the longest silence. */
  rights: ChatRights;
  /** A short id that ties a user-facing "internal error" to its log line. */
  newReference?: () => string;
}

/**
 * The plain-words message for a failure: an AegisError's userMessage, a "try again" for a retryable error, or
 * "internal error, see logs (ref …)", with the error logged under that reference.
 */
export function explainFailure(
  context: ListenerContext,
  listener: string,
  error: unknown,
  fields: Record<string, unknown> = {},
): string {
  const reference = (context.newReference ?? (() => randomUUID().slice(0, 8)))();
  if (isAegisError(error) && error.userMessage !== undefined) {
    context.logger.warn({ ...fields, listener, code: error.code, err: error }, 'Slack request refused');
    return error.userMessage;
  }
  context.metrics.listenerFailed(listener);
  context.logger.error({ ...fields, listener, reference, err: error }, 'Slack listener failed');
  // Only a message written for users is shown; anything else could carry internals.
  if (isAegisError(error) && error.retryable)
    return `Aegis could not finish that just now; try again (ref ${reference}).`;
  return `internal error, see logs (ref ${reference})`;
}
