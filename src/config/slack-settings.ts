import type { SettingDefinition } from './setting-definition.js';
import { optionalSetting, requiredSetting } from './setting-definition.js';
import { durationValue, integerValue, jsonListValue, listValue, textValue } from './value-kinds.js';

/** The Slack bot: credentials, API base URL, channel routing and storm grouping. */
export const slackSettings = {
  slackBotToken: optionalSetting({
    env: 'SLACK_BOT_TOKEN',
    value: textValue(),
    secret: true,
    description:
      'Slack bot token (`xoxb-...`). Without it (and the signing secret) Aegis runs without the Slack bot.',
  }),
  slackSigningSecret: optionalSetting({
    env: 'SLACK_SIGNING_SECRET',
    value: textValue(),
    secret: true,
    description: 'Slack signing secret: every request from Slack is verified with it (HTTP mode).',
  }),
  slackAppToken: optionalSetting({
    env: 'SLACK_APP_TOKEN',
    value: textValue(),
    secret: true,
    description:
      'Slack app-level token (`xapp-...`): when set, the bot uses Socket Mode and needs no public URL.',
  }),
  slackApiUrl: optionalSetting({
    env: 'SLACK_API_URL',
    value: textValue(),
    description:
      "Base URL of the Slack Web API, default Slack's (`https://slack.com/api/`); point it at a proxy or a test server.",
  }),
  slackChannel: optionalSetting({
    env: 'AEGIS_SLACK_CHANNEL',
    value: textValue(),
    description: 'Default channel (id or name) for alert threads.',
  }),
  slackRoutes: optionalSetting({
    env: 'AEGIS_SLACK_ROUTES',
    value: jsonListValue(),
    description:
      'Channel routing, first match wins: a JSON list such as `[{"channel":"C0GPU","type":"Gpu.*"},{"channel":"C0ONCALL","severity":["critical"]},{"channel":"C0ML","namespace":"ml"}]`.',
  }),
  slackOperators: optionalSetting({
    env: 'AEGIS_SLACK_OPERATORS',
    value: listValue(),
    description:
      'Slack user ids (`U…`) and user group ids (`S…`), comma-separated, allowed to `/aegis silence`, `unsilence` and `run`; unset: those commands are refused. Reading and asking stay open to the channel.',
  }),
  silenceMaxMs: requiredSetting({
    env: 'AEGIS_SILENCE_MAX',
    value: durationValue(60_000, 365 * 86_400_000),
    default: 7 * 86_400_000,
    defaultText: '7d',
    description: 'The longest silence `/aegis silence` may create.',
  }),
  slackStormThreshold: requiredSetting({
    env: 'AEGIS_SLACK_STORM_THRESHOLD',
    value: integerValue(1, 10_000),
    default: 5,
    description:
      'More alerts than this of one type within the storm window are grouped under one Slack message.',
  }),
  slackStormWindowMs: requiredSetting({
    env: 'AEGIS_SLACK_STORM_WINDOW',
    value: durationValue(1_000, 86_400_000),
    default: 60_000,
    defaultText: '60s',
    description: 'The storm window (see AEGIS_SLACK_STORM_THRESHOLD).',
  }),
} satisfies Record<string, SettingDefinition<unknown>>;
