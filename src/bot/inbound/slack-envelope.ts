/**
 * The fields of a Slack request that Bolt reads before any Aegis listener runs (to route it and to build its
 * context). Bolt assumes Slack's shapes: a `user: null` or an `actions` that is not a list makes it throw, which
 * would be answered as a 500. Checked here first, so a malformed request is refused with a 400 that names the
 * field, and only well-formed ones reach Bolt.
 */
import type { SlackRequestKind } from './inbound-metrics.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const optionalString = (body: Record<string, unknown>, key: string, where: string): string | undefined =>
  body[key] === undefined || typeof body[key] === 'string' ? undefined : `${where}${key} must be a string`;

const optionalObject = (body: Record<string, unknown>, key: string, where: string): string | undefined =>
  body[key] === undefined || body[key] === null || isObject(body[key])
    ? undefined
    : `${where}${key} must be an object`;

/** Why Bolt cannot be handed this body (naming the field), or undefined when it can. */
export function slackEnvelopeProblem(
  body: Record<string, unknown>,
  kind: SlackRequestKind,
): string | undefined {
  switch (kind) {
    case 'command':
      for (const key of [
        'user_id',
        'channel_id',
        'team_id',
        'text',
        'trigger_id',
        'response_url',
        'api_app_id',
      ]) {
        const problem = optionalString(body, key, '');
        if (problem !== undefined) return problem;
      }
      return undefined;
    case 'event': {
      const event = body['event'];
      if (!isObject(event)) return 'event must be an object';
      if (typeof event['type'] !== 'string') return 'event.type must be a string';
      for (const key of ['user', 'channel', 'ts', 'thread_ts', 'text', 'subtype', 'bot_id', 'channel_type']) {
        const problem = optionalString(event, key, 'event.');
        if (problem !== undefined) return problem;
      }
      for (const key of ['team_id', 'enterprise_id', 'api_app_id', 'event_id']) {
        const problem = optionalString(body, key, '');
        if (problem !== undefined) return problem;
      }
      if (body['authorizations'] !== undefined && !Array.isArray(body['authorizations']))
        return 'authorizations must be a list';
      return undefined;
    }
    case 'interaction': {
      for (const key of ['user', 'team', 'channel', 'container', 'message', 'view', 'enterprise']) {
        const problem = optionalObject(body, key, '');
        if (problem !== undefined) return problem;
      }
      const user = body['user'];
      if (!isObject(user) || typeof user['id'] !== 'string') return 'user.id must be a string';
      for (const [key, value] of [
        ['team', body['team']],
        ['channel', body['channel']],
      ] as const) {
        if (isObject(value) && value['id'] !== undefined && typeof value['id'] !== 'string')
          return `${key}.id must be a string`;
      }
      for (const key of ['callback_id', 'trigger_id', 'response_url', 'api_app_id']) {
        const problem = optionalString(body, key, '');
        if (problem !== undefined) return problem;
      }
      const actions = body['actions'];
      if (body['type'] === 'block_actions' || actions !== undefined) {
        if (!Array.isArray(actions) || actions.length === 0) return 'actions must be a non-empty list';
        for (const [index, action] of actions.entries()) {
          if (!isObject(action)) return `actions[${index}] must be an object`;
          for (const key of ['action_id', 'block_id', 'type']) {
            const problem = optionalString(action, key, `actions[${index}].`);
            if (problem !== undefined) return problem;
          }
        }
      }
      if (body['type'] === 'view_submission' || body['type'] === 'view_closed') {
        const view = body['view'];
        if (!isObject(view)) return 'view must be an object';
        for (const key of ['callback_id', 'private_metadata', 'id']) {
          const problem = optionalString(view, key, 'view.');
          if (problem !== undefined) return problem;
        }
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
