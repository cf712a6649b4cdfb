export { alertThreadEvents, type IdentifiedThreadEvent } from './alert-thread-events.js';
export { type ChannelRateLimiter, type RateLimitOptions } from './channel-rate-limiter.js';
export {
  createChannelRouter,
  slackRouteSchema,
  slackRoutesSchema,
  type ChannelRouter,
  type SlackRoute,
} from './channel-routing.js';
export type { AlertSlackStore } from '../../core/ports/index.js';
export {
  slackNotifierName,
  startSlackNotifier,
  type SlackNotifier,
  type SlackNotifierOptions,
  type SlackThread,
} from './start-slack-notifier.js';
export type { StormOptions } from './storm-tracker.js';
