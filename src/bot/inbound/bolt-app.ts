/**
 * The Slack app (Bolt): Socket Mode when an app-level token is given (no inbound HTTP; Slack is reached over a
 * WebSocket), otherwise HTTP mode on the Aegis fastify server (see fastify-receiver.ts for the routes). Every
 * Web API call, Socket Mode's `apps.connections.open` included, goes to `apiUrl` (SLACK_API_URL), so a proxy or
 * a test server can stand in for Slack.
 *
 * This file (and the receiver) are the only ones that know Bolt: listeners get plain data and a SlackWebApi port.
 */
import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import type {
  AllMiddlewareArgs,
  App as BoltApp,
  BlockAction,
  ButtonAction,
  Logger as BoltLogger,
  SlackEventMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { AegisError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { HttpServer } from '../../http/index.js';
import type { MetricsRegistry } from '../../metrics/index.js';
import { FastifyReceiver } from './fastify-receiver.js';
import { createInboundMetrics } from './inbound-metrics.js';
import type { AgentPort, InboundServices } from './inbound-services.js';
import { publishAppHome } from './listeners/app-home.js';
import { handleApprovalClick, handleRejectSubmission } from './listeners/approval-clicks.js';
import { handleConversation } from './listeners/conversation.js';
import type { ListenerContext } from './listeners/listener-context.js';
import { noChatOperators, type ChatRights } from './commands/chat-rights.js';
import { handleSlashCommand } from './listeners/slash-command.js';
import { handleViewManifestClick } from './listeners/view-manifest.js';
import { viewManifestActionId } from '../render/index.js';
import {
  appHomeRefreshActionId,
  approvalActionIds,
  rejectModalCallbackId,
  rejectReasonActionId,
  rejectReasonBlockId,
} from './render/approval-ids.js';
import type { ChatReply } from './render/blocks.js';
import { createSlackGroupResolver, type SlackGroupResolver } from './slack-group-resolver.js';
import type { SlackWebApi } from './slack-web-api.js';

export interface SlackBotOptions {
  /** SLACK_BOT_TOKEN (xoxb-…). */
  botToken: string;
  /** SLACK_SIGNING_SECRET: verifies HTTP requests (unused in Socket Mode, where the WebSocket is authenticated). */
  signingSecret: string;
  /** SLACK_APP_TOKEN (xapp-…): when set, Socket Mode. */
  appToken?: string | undefined;
  /** SLACK_API_URL: base URL of the Slack Web API (default https://slack.com/api/). */
  apiUrl?: string | undefined;
  /** The Aegis HTTP server; HTTP mode registers its routes on `http.app` (call before `http.listen()`). */
  http?: Pick<HttpServer, 'app'> | undefined;
  services: InboundServices;
  agent?: AgentPort | undefined;
  logger: Logger;
  metrics: MetricsRegistry;
  /** AEGIS_ROUTE_PREFIX for the HTTP routes, e.g. `/aegis`. */
  routePrefix?: string | undefined;
  /**
   * Who may silence, unsilence and run from chat (AEGIS_SLACK_OPERATORS) and the longest silence
   * (AEGIS_SILENCE_MAX); default: nobody, 7 days.
   */
  rights?: ChatRights | undefined;
  /** How long Slack user group members are cached (default 5 minutes). */
  groupCacheTtlMs?: number | undefined;
  clock?: (() => Date) | undefined;
  /** Reference ids for "internal error (ref …)" replies. */
  newReference?: (() => string) | undefined;
  /** How long a slash command may take before it is acknowledged with "working on it" (default 2 s). */
  commandReplyBudgetMs?: number | undefined;
}

export interface SlackBot {
  readonly mode: 'socket' | 'http';
  /** The resolver for approver groups (also usable as the approval service's `resolveGroups` source). */
  readonly groups: SlackGroupResolver;
  stop(): Promise<void>;
}

export const defaultSlackApiUrl = 'https://slack.com/api/';

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** Bolt's logger interface over the Aegis logger. */
function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const text = (parts: unknown[]) =>
    parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
  return {
    debug: (...parts: unknown[]) => logger.debug(text(parts)),
    info: (...parts: unknown[]) => logger.info(text(parts)),
    warn: (...parts: unknown[]) => logger.warn(text(parts)),
    error: (...parts: unknown[]) => logger.error(text(parts)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

function webApi(client: WebClient): SlackWebApi {
  return {
    async postEphemeral({ channel, user, text, blocks, threadTs }) {
      await client.chat.postEphemeral({
        channel,
        user,
        text,
        ...(blocks === undefined ? {} : { blocks }),
        ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
      });
    },
    async postMessage({ channel, text, blocks, threadTs }) {
      await client.chat.postMessage({
        channel,
        text,
        // Blocks come from our renderers or the agent port (plain JSON); Slack validates them.
        ...(blocks === undefined ? {} : { blocks: blocks as never[] }),
        ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
      });
    },
    async openView({ triggerId, view }) {
      await client.views.open({ trigger_id: triggerId, view });
    },
    async publishHome({ user, view }) {
      await client.views.publish({ user_id: user, view });
    },
  };
}

function slackMessage(reply: ChatReply): {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  blocks: ChatReply['blocks'];
} {
  return { response_type: reply.visibility, text: reply.text, blocks: reply.blocks };
}

/** Resolves with the value, or with undefined after `ms` (the timer is cleared either way). */
async function within<T>(work: Promise<T>, ms: number): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work.then((value) => ({ value })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}

export async function startSlackBot(options: SlackBotOptions): Promise<SlackBot> {
  const logger = options.logger.child({ component: 'slack' });
  const metrics = createInboundMetrics(options.metrics);
  const clock = options.clock ?? (() => new Date());
  const slackApiUrl = withTrailingSlash(options.apiUrl ?? defaultSlackApiUrl);
  const socketMode = options.appToken !== undefined && options.appToken !== '';
  const boltLog = boltLogger(logger);

  let receiver: FastifyReceiver | InstanceType<typeof SocketModeReceiver>;
  if (socketMode) {
    receiver = new SocketModeReceiver({
      appToken: options.appToken ?? '',
      logger: boltLog,
      installerOptions: { clientOptions: { slackApiUrl } },
    });
  } else {
    if (options.http === undefined)
      throw new AegisError('SLACK_CONFIG', 'HTTP mode needs the Aegis HTTP server', {
        userMessage: 'Set SLACK_APP_TOKEN for Socket Mode, or run Slack on the Aegis HTTP server.',
      });
    receiver = new FastifyReceiver({
      app: options.http.app,
      signingSecret: options.signingSecret,
      logger,
      metrics,
      now: () => clock().getTime(),
      prefix: options.routePrefix,
    });
  }

  const app: BoltApp = new App({
    token: options.botToken,
    receiver,
    logger: boltLog,
    clientOptions: { slackApiUrl },
    // auth.test runs in init() below, where a failure is an error we can report, not an unhandled rejection.
    deferInitialization: true,
  });
  await app.init();

  const groups = createSlackGroupResolver(app.client, options.groupCacheTtlMs ?? 5 * 60_000, { logger });
  const context: ListenerContext = {
    services: options.services,
    slack: webApi(app.client),
    groups,
    agent: options.agent,
    logger,
    metrics,
    clock,
    rights: options.rights ?? noChatOperators,
    ...(options.newReference === undefined ? {} : { newReference: options.newReference }),
  };
  registerListeners(app, context, options.commandReplyBudgetMs ?? 2_000);

  const socketClient = receiver instanceof SocketModeReceiver ? receiver.client : undefined;
  // Slack recycles Socket Mode connections (a `disconnect` message, or a closed socket); the client opens a new
  // one through apps.connections.open by itself. Logged, so a connection that keeps dropping is visible.
  socketClient?.on('reconnecting', () => logger.info('Socket Mode: reconnecting to Slack'));
  socketClient?.on('connected', () => logger.debug('Socket Mode: connected'));

  await app.start();
  logger.info(
    { mode: socketMode ? 'socket' : 'http', slackApiUrl, agent: options.agent !== undefined },
    'Slack bot started',
  );
  return {
    mode: socketMode ? 'socket' : 'http',
    groups,
    async stop() {
      // Bolt's SocketModeReceiver.stop() does not wait for the WebSocket to close; wait for it here (bounded by
      // the close handshake), so a stopped bot holds no connection and schedules no reconnect.
      if (socketClient !== undefined) await within(socketClient.disconnect(), socketStopBudgetMs);
      await app.stop();
    },
  };
}

/** How long stop() waits for the Socket Mode connection to close. */
const socketStopBudgetMs = 5_000;

function registerListeners(app: BoltApp, context: ListenerContext, commandBudgetMs: number): void {
  const { logger } = context;

  app.error(async (error) => {
    context.metrics.listenerFailed('bolt');
    logger.error({ err: error }, 'Slack listener error');
    return Promise.resolve();
  });

  app.command('/aegis', async ({ ack, command, respond }) => {
    const work = handleSlashCommand(
      { text: command.text, user: command.user_id, channel: command.channel_id },
      context,
    );
    // Answer in the acknowledgement when the work is quick; otherwise acknowledge and answer through response_url.
    const quick = await within(work, commandBudgetMs);
    if (quick !== undefined) {
      await ack(slackMessage(quick.value));
      return;
    }
    await ack({ response_type: 'ephemeral', text: 'Working on it…' });
    await respond({ ...slackMessage(await work), replace_original: true });
  });

  for (const decision of ['approve', 'reject'] as const) {
    app.action<BlockAction<ButtonAction>>(approvalActionIds[decision], async ({ ack, body, action }) => {
      await ack();
      const fromHome = body.container?.type === 'view' || body.view?.type === 'home';
      const channel = fromHome ? undefined : body.channel?.id;
      const threadTs = stringField(body.message, 'thread_ts') ?? body.message?.ts;
      await handleApprovalClick(
        {
          decision,
          value: action.value,
          user: body.user.id,
          channel,
          threadTs: channel === undefined ? undefined : threadTs,
          triggerId: body.trigger_id,
          ...(fromHome ? { refreshHome: () => publishAppHome(body.user.id, context) } : {}),
        },
        context,
      );
    });
  }

  app.action<BlockAction<ButtonAction>>(viewManifestActionId, async ({ ack, body, action }) => {
    await ack();
    const channel = body.channel?.id;
    await handleViewManifestClick(
      {
        value: action.value,
        user: body.user.id,
        channel,
        threadTs: stringField(body.message, 'thread_ts') ?? body.message?.ts,
        triggerId: body.trigger_id,
      },
      context,
    );
  });

  app.view<ViewSubmitAction>(rejectModalCallbackId, async ({ ack, body, view }) => {
    const reason = view.state.values[rejectReasonBlockId]?.[rejectReasonActionId]?.value?.trim() ?? '';
    if (reason === '') {
      await ack({
        response_action: 'errors',
        errors: { [rejectReasonBlockId]: 'Say why the run should not happen.' },
      });
      return;
    }
    await ack();
    await handleRejectSubmission(
      {
        user: body.user.id,
        metadata: view.private_metadata,
        reason,
        refreshHome: () => publishAppHome(body.user.id, context),
      },
      context,
    );
  });

  app.action(appHomeRefreshActionId, async ({ ack, body }) => {
    await ack();
    await publishAppHome(body.user.id, context);
  });

  app.event('app_home_opened', async ({ event }: SlackEventMiddlewareArgs<'app_home_opened'>) => {
    if (event.tab !== undefined && event.tab !== 'home') return;
    await publishAppHome(event.user, context);
  });

  app.event(
    'app_mention',
    async ({ event, context: boltContext }: SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs) => {
      if (event.user === undefined) return;
      await handleConversation(
        {
          kind: 'mention',
          text: event.text,
          user: event.user,
          channel: event.channel,
          ts: event.ts,
          threadTs: event.thread_ts,
          botUserId: boltContext.botUserId,
        },
        context,
      );
    },
  );

  app.event(
    'message',
    async ({ event, context: boltContext }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs) => {
      // Edits, deletions, joins and bot posts are not questions.
      if (event.subtype !== undefined) return;
      const user = stringField(event, 'user');
      const text = stringField(event, 'text') ?? '';
      if (user === undefined || stringField(event, 'bot_id') !== undefined) return;
      const botUserId = boltContext.botUserId;
      // A mention also arrives as app_mention; answer it once, there.
      if (botUserId !== undefined && text.includes(`<@${botUserId}`)) return;
      const threadTs = stringField(event, 'thread_ts');
      const direct = event.channel_type === 'im';
      if (!direct && (threadTs === undefined || threadTs === event.ts)) return;
      await handleConversation(
        {
          kind: direct ? 'direct' : 'thread_reply',
          text,
          user,
          channel: event.channel,
          ts: event.ts,
          threadTs,
          botUserId,
        },
        context,
      );
    },
  );
}
