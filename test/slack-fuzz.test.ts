/**
 * Random and hostile Slack requests, signed as Slack signs them, against `aegis serve` (HTTP mode, the fake
 * Slack Web API) while an alert waits for approval: Events API callbacks, interactivity payloads
 * (block_actions on the real approval message with odd fields, view_submission with random state), slash
 * commands with random text, and garbage bodies. Every answer is below 500, the server stays up, and nothing
 * sent by anyone but the approver runs, approves or silences anything.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeMessage } from './support/fake-slack-api.js';
import { clickOn } from './support/slack-payloads.js';
import {
  exampleNamespace,
  startSlackServe,
  type SlackServeEnvironment,
} from './support/slack-serve-environment.js';
import {
  eventCallbackBody,
  interactionBody,
  signSlackRequest,
  slashCommandBody,
} from './support/slack-signing.js';

const approver = 'U0APPROVER';
const signingSecret = 'fuzz-signing-secret';
const form = 'application/x-www-form-urlencoded';

let env: SlackServeEnvironment;
let request: FakeMessage;
let fingerprint: string;

beforeAll(async () => {
  env = await startSlackServe({
    name: 'aegis-slack-fuzz-',
    botToken: 'xoxb-fuzz',
    signingSecret,
    timeoutMs: 60_000,
  });
  await env.applyCordonExample([approver]);
  fingerprint = await env.postExampleAlert('slack-fuzz-0001');
  const { ts } = await env.rootMessageOf(fingerprint);
  request = await env.approvalRequestIn(ts);
}, 120_000);

afterAll(async () => {
  await env?.close();
});

/** Anyone but the approver: strangers, the bot itself, Slackbot, empty and odd ids. */
const user = fc.oneof(
  fc.constantFrom('U0OUTSIDER', 'U0AEGIS', 'USLACKBOT', '', 'u0approver', `${approver} `, `<@${approver}>`),
  fc.string({ maxLength: 12 }).filter((id) => id !== approver),
);

const hostileText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    '{"a":',
    '<!channel>',
    '<@U0APPROVER>',
    '\u0000',
    '\u202e',
    '%s%n',
  ),
  fc.integer({ min: 10_000, max: 60_000 }).map((size) => 'x'.repeat(size)),
);

const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  hostileText,
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant(null),
  fc.constant({ __proto__: { polluted: true } }),
  fc.constant([[[[[[[[[[[]]]]]]]]]]]),
);

const actionIds = fc.oneof(
  fc.constantFrom(
    'aegis_approve',
    'aegis_reject',
    'aegis_view_manifest',
    'aegis_home_refresh',
    'aegis_reject_modal',
  ),
  fc.string({ maxLength: 20 }),
);

/** A click on the real approval message by someone else, with one field replaced by anything. */
const blockActions = fc
  .tuple(
    user,
    actionIds,
    fc.constantFrom(
      'value',
      'action_id',
      'block_id',
      'ts',
      'message',
      'container',
      'actions',
      'user',
      'type',
      'none',
    ),
    anyJson,
  )
  .map(([who, actionId, field, value]) => {
    const payload = clickOn('U0OUTSIDER', request, 'aegis_approve') as Record<string, unknown> & {
      actions: Array<Record<string, unknown>>;
      user: Record<string, unknown>;
    };
    payload.user['id'] = who;
    const action = payload.actions[0] ?? {};
    action['action_id'] = actionId;
    if (field === 'value' || field === 'action_id' || field === 'block_id') action[field] = value;
    else if (field === 'ts') payload['message'] = { ...(payload['message'] as object), ts: value };
    else if (field !== 'none') (payload as Record<string, unknown>)[field] = value;
    return interactionBody(payload);
  });

const viewSubmission = fc
  .tuple(user, fc.constantFrom('aegis_reject_modal', 'aegis_approval', ''), anyJson, anyJson)
  .map(([who, callbackId, metadata, values]) =>
    interactionBody({
      type: 'view_submission',
      user: { id: who, team_id: 'T0FAKE' },
      team: { id: 'T0FAKE' },
      view: {
        id: 'V0FUZZ',
        callback_id: callbackId,
        private_metadata: typeof metadata === 'string' ? metadata : JSON.stringify(metadata),
        state: { values },
      },
    }),
  );

const otherInteraction = fc
  .tuple(
    fc.constantFrom(
      'view_closed',
      'shortcut',
      'message_action',
      'block_suggestion',
      'interactive_message',
      '',
    ),
    user,
    anyJson,
  )
  .map(([type, who, extra]) =>
    interactionBody({ type, user: { id: who }, callback_id: extra, actions: extra }),
  );

const words = [
  'approve',
  'reject',
  'run',
  'silence',
  'unsilence',
  'alert',
  'alerts',
  'rules',
  'templates',
  'status',
  'checks',
  'check-node',
  'diagnose',
  'pod',
  'help',
  'cordon-node',
  'dev1',
  'node=dev1',
  '--reason',
  '"x',
  '1h',
  'type=*',
];
const commandText = fc.oneof(
  fc
    .array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 10 })), { maxLength: 8 })
    .map((parts) => parts.join(' ')),
  hostileText,
);
const slashCommand = fc.tuple(commandText, user).map(([text, who]) => slashCommandBody({ text, user: who }));

const events = fc
  .tuple(
    fc.constantFrom(
      'app_mention',
      'message',
      'app_home_opened',
      'reaction_added',
      'member_joined_channel',
      '',
    ),
    user,
    hostileText,
    anyJson,
  )
  .map(([type, who, text, extra]) =>
    eventCallbackBody({
      type,
      user: who,
      text,
      channel: 'C0AEGISOPS',
      ts: '1.000001',
      thread_ts: extra,
      blocks: extra,
    }),
  );

type Sent = { path: string; body: string; contentType: string };

const sent: fc.Arbitrary<Sent> = fc.oneof(
  blockActions.map((body) => ({ path: '/slack/interactions', body, contentType: form })),
  viewSubmission.map((body) => ({ path: '/slack/interactions', body, contentType: form })),
  otherInteraction.map((body) => ({ path: '/slack/interactions', body, contentType: form })),
  slashCommand.map((body) => ({ path: '/slack/commands', body, contentType: form })),
  events.map((body) => ({ path: '/slack/events', body, contentType: 'application/json' })),
  fc
    .tuple(
      fc.constantFrom('/slack/events', '/slack/interactions', '/slack/commands'),
      fc.oneof(
        fc.string({ maxLength: 200 }),
        anyJson.map((value) => JSON.stringify(value) ?? ''),
        fc.constant('payload=%E0%A4%A'),
      ),
      fc.constantFrom(form, 'application/json', 'text/plain', 'multipart/form-data'),
    )
    .map(([path, body, contentType]) => ({ path, body, contentType })),
);

/** Signed now (most), with a stale timestamp, with a wrong signature, or not at all. */
const signing = fc.constantFrom('valid', 'valid', 'valid', 'stale', 'wrong', 'none');

describe('Slack requests, random and hostile, against aegis serve', () => {
  it('refuses a click whose user is null with a 400 naming the field (Bolt threw: it was a 500)', async () => {
    const payload = { ...clickOn('U0OUTSIDER', request, 'aegis_approve'), user: null };
    const body = interactionBody(payload);
    const response = await fetch(`${env.serve.httpUrl}/slack/interactions`, {
      method: 'POST',
      headers: { 'content-type': form, ...signSlackRequest(signingSecret, body) },
      body,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'malformed Slack interaction: user.id must be a string' });
  });

  it('never answer 5xx, keep the server up, and make nothing run or approve', async () => {
    const statuses = new Map<number, number>();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const workflowsBefore = await env.workflowNames();
    try {
      await fc.assert(
        fc.asyncProperty(sent, signing, async ({ path, body, contentType }, how) => {
          const now = Math.floor(Date.now() / 1000);
          const headers =
            how === 'none'
              ? {}
              : how === 'wrong'
                ? signSlackRequest('not-the-secret', body, now)
                : signSlackRequest(signingSecret, body, how === 'stale' ? now - 3_600 : now);
          const response = await fetch(`${env.serve.httpUrl}${path}`, {
            method: 'POST',
            headers: { 'content-type': contentType, ...headers },
            body,
          });
          const text = await response.text();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          expect(
            response.status,
            `${path} ${how}: ${text.slice(0, 300)} ← ${body.slice(0, 300)}`,
          ).toBeLessThan(500);
          if (how !== 'valid') expect(response.status).toBe(401);
        }),
        { numRuns: 300 },
      );
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    // Signed requests reached the handlers (200s), unsigned ones were refused (401).
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(401) ?? 0).toBeGreaterThan(0);

    // Still up, and the approval still waits for the one approver: nothing ran, approved, rejected or silenced.
    expect((await fetch(`${env.serve.httpUrl}/healthz`)).status).toBe(200);
    const alert = await env.alertWithFingerprint(fingerprint);
    expect(alert?.status?.approval?.state).toBe('Pending');
    expect(alert?.status?.opsStatus?.triggerStatus).toBe('AwaitingApproval');
    expect(await env.workflowNames()).toEqual(workflowsBefore);
    const silences = (await env.serve.kubeClients.customObjects.listNamespacedCustomObject({
      group: 'aegis.io',
      version: 'v1alpha1',
      namespace: exampleNamespace,
      plural: 'aegissilences',
    })) as { items: unknown[] };
    expect(silences.items).toEqual([]);
    expect((await env.alerts()).length).toBe(1);

    // And the real approver's click still works afterwards: the server is not wedged.
    expect(await env.click(approver, request, 'aegis_approve')).toBe(200);
    await env.succeededAfterApproval(fingerprint, approver);
  }, 240_000);
});
