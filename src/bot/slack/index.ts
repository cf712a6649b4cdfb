export { SlackApiError, isSlackApiError, platformError, slackErrorCodes } from './slack-api-error.js';
export {
  createSlackClient,
  defaultSlackApiUrl,
  toSlackApiError,
  type PostedMessage,
  type SlackClient,
  type SlackClientOptions,
} from './slack-client.js';
