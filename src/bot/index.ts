/**
 * The Slack side of Aegis (outbound half): Block Kit renderers, the Slack Web API client and the notifier
 * that keeps alert threads current. The inbound half (Bolt app, commands, buttons) lives in ./inbound.
 */
export * from './render/index.js';
export * from './slack/index.js';
export * from './notify/index.js';
