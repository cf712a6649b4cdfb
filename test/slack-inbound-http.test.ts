/**
 * The inbound Slack half over HTTP, end to end: requests signed exactly as Slack signs them go into the Aegis
 * HTTP server, Bolt runs the listeners, the services work against the sandbox API server (and real Redis for
 * `status`), and every outgoing Slack call lands on the fake Slack Web API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApprovalService } from '../src/controller/approvals/index.js';
import { newPendingApproval, serialiseApprovalRecord } from '../src/core/approvals/index.js';
import { buildAlertWorkflow, workflowAnnotations } from '../src/controller/alerts/index.js';
import { silentLogger } from '../src/core/logger.js';
import type { AegisAlertOpsRule, AegisOpsTemplate, AegisSilence } from '../src/core/resources/index.js';
import { startSlackBot, type InboundServices, type SlackBot } from '../src/bot/inbound/index.js';
import { createHttpServer, type HttpServer } from '../src/http/index.js';
import {
  createAegisSilenceStore,
  createCustomObjectClient,
  createEventRecorder,
  createWorkflowStore,
} from '../src/kube/index.js';
import { createMetricsRegistry } from '../src/metrics/index.js';
import { pingRedis } from '../src/platform/index.js';
import { startFakeSlackApi, type FakeSlackApi } from './support/fake-slack-api.js';
import {
  alertNamespace,
  eventually,
  startIngestEnvironment,
  type IngestEnvironment,
} from './support/ingest-environment.js';
import { channelView, postAsBot } from './support/fake-slack-messages.js';
import { blockActionsPayload } from './support/slack-payloads.js';
import {
  eventCallbackBody,
  interactionBody,
  postSigned,
  signSlackRequest,
  slashCommandBody,
} from './support/slack-signing.js';

const secret = 'test-signing-secret';
const botToken = 'xoxb-test';
const namespace = alertNamespace;
const requester = 'U0REQUESTER';
const approver = 'U0APPROVER';
const outsider = 'U0OUTSIDER';
const groupMember = 'U0ONCALL';
const group = 'S0ONCALL';
/** AEGIS_SLACK_OPERATORS: the requester by id, the approver through this user group. */
const operatorGroup = 'S0OPERATORS';
const silenceMaxMs = 7 * 86_400_000;

let env: IngestEnvironment;
let slack: FakeSlackApi;
let http: HttpServer;
let bot: SlackBot;
let baseUrl: string;
let services: InboundServices;

/** `eventually` for a check that needs no I/O. */
async function soon<T>(check: () => T | undefined): Promise<T> {
  return await eventually(() => Promise.resolve(check()));
}

/** The Events (the audit trail) recorded on an alert. */
async function eventReasons(alert: string): Promise<string[]> {
  const list = await env.clients.core.listNamespacedEvent({ namespace });
  return list.items.filter((event) => event.involvedObject.name === alert).map((event) => event.reason ?? '');
}

beforeAll(async () => {
  env = await startIngestEnvironment();
  slack = await startFakeSlackApi();
  slack.setGroupMembers(group, [groupMember]);
  slack.setGroupMembers(operatorGroup, [approver]);
  const approvals = createApprovalService({
    store: env.store,
    workflows: createWorkflowStore(env.clients),
    clock: () => new Date(),
    namespace,
    events: createEventRecorder(env.clients),
  });
  const type = (kind: string, plural: string) => ({ group: 'aegis.io', version: 'v1alpha1', plural, kind });
  const rules = createCustomObjectClient<AegisAlertOpsRule>(
    env.clients,
    type('AegisAlertOpsRule', 'aegisalertopsrules'),
  );
  const templates = createCustomObjectClient<AegisOpsTemplate>(
    env.clients,
    type('AegisOpsTemplate', 'aegisopstemplates'),
  );
  await templates.create(namespace, {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisOpsTemplate',
    metadata: { name: 'drop-caches', namespace },
    spec: { manifest: 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec:\n  arguments: "{{.node}}"\n' },
  });
  await rules.create(namespace, {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisAlertOpsRule',
    metadata: { name: 'memory-pressure', namespace },
    spec: {
      alertConditions: [{ type: 'NodeMemoryPressure', status: 'Firing' }],
      opsTemplate: { name: 'drop-caches' },
      approval: { required: true, approvers: [approver, group] },
    },
  });
  const redisPort = env.redis.port;
  services = {
    approvals,
    opsRequests: { create: (request) => approvals.createOpsRequest(request) },
    alerts: {
      list: () => env.store.list(namespace),
      get: (reference) => env.store.get(reference.namespace ?? namespace, reference.name),
    },
    rules: { list: () => rules.list(namespace) },
    templates: { list: () => templates.list(namespace) },
    silences: createAegisSilenceStore(env.clients, { namespace }),
    status: async () => {
      const redis = await pingRedis('127.0.0.1', redisPort).then(
        () => ({ ok: true }),
        (error: Error) => ({ ok: false, detail: error.message }),
      );
      return { queues: [{ name: 'ingest', depth: 0 }], apiServer: { ok: true, detail: 'sandbox' }, redis };
    },
  };
  http = createHttpServer({
    logger: silentLogger,
    metrics: createMetricsRegistry({ defaultMetrics: false }),
  });
  bot = await startSlackBot({
    botToken,
    signingSecret: secret,
    apiUrl: slack.url,
    http,
    services,
    logger: silentLogger,
    metrics: createMetricsRegistry({ defaultMetrics: false }),
    newReference: () => 'ref-1',
    rights: { operators: [requester, operatorGroup], silenceMaxMs },
  });
  baseUrl = await http.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await bot?.stop();
  await http?.close();
  await slack?.close();
  await env?.stop();
});

interface Sent {
  status: number;
  text: string;
  json: () => Record<string, unknown>;
}

async function post(
  path: string,
  body: string,
  contentType: string,
  sign: { secret?: string; timestamp?: number; headers?: Record<string, string> } = {},
): Promise<Sent> {
  const { status, text } = await postSigned(`${baseUrl}${path}`, body, contentType, {
    ...sign,
    secret: sign.secret ?? secret,
  });
  return { status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

const form = 'application/x-www-form-urlencoded';

async function command(text: string, user = approver): Promise<Record<string, unknown>> {
  const sent = await post('/slack/commands', slashCommandBody({ text, user }), form);
  expect(sent.status).toBe(200);
  return sent.json();
}

function blockText(reply: Record<string, unknown>): string {
  return JSON.stringify(reply['blocks'] ?? []);
}

/** An ops request waiting for approval, as the alert reconciler would leave it. */
async function pendingAlert(approvers: string[], minApprovals = 1): Promise<string> {
  const created = await services.opsRequests.create({
    template: { name: 'drop-caches' },
    parameters: { node: 'gpu-node-1' },
    requestedBy: requester,
  });
  const approval = newPendingApproval({
    policy: { approvers, minApprovals, timeout: '30m', allowSelfApproval: false },
    now: new Date(),
    renderedManifest: 'kind: Workflow',
    manifestDigest: 'sha256:0',
    template: { namespace, name: 'drop-caches' },
    requestedBy: requester,
  });
  const written = await env.store.patchStatus(namespace, created.name, {
    approval,
    opsStatus: { triggerStatus: 'AwaitingApproval' },
  });
  // The suspended Workflow holding the request's record, as the alert reconciler creates it.
  const workflow = buildAlertWorkflow(
    { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', spec: { entrypoint: 'main', templates: [] } },
    { name: created.name, namespace, uid: written.metadata.uid ?? '' },
    { digest: 'sha256:0' },
  );
  workflow.metadata!.annotations![workflowAnnotations.approval] = serialiseApprovalRecord(approval);
  await createWorkflowStore(env.clients).create(namespace, {
    ...workflow,
    spec: { ...workflow.spec, suspend: true },
  });
  return created.name;
}

/** A click on the approval message's button in the alert's thread. */
function buttonClick(
  action: 'aegis_approve' | 'aegis_reject' | 'aegis_view_manifest',
  user: string,
  alert: string,
  triggerId = 'trig-1',
) {
  return interactionBody(
    blockActionsPayload({
      user,
      triggerId,
      channel: { id: 'C0ALERTS', name: 'alerts' },
      message: { ts: '1700000000.000200', threadTs: '1700000000.000100', text: 'Approval needed' },
      containerTs: '1700000000.000100',
      button: { actionId: action, blockId: 'aegis_approval', value: `${namespace}/${alert}`, text: 'x' },
      actionTs: '1700000001.000000',
    }),
  );
}

async function approvalOf(name: string) {
  return (await env.store.get(namespace, name))?.status?.approval;
}

function ephemeralsTo(user: string): string[] {
  return slack
    .callsOf('chat.postEphemeral')
    .filter((call) => call.params['user'] === user)
    .map((call) => String(call.params['text']));
}

describe('Slack request verification', () => {
  it('answers url_verification with the challenge', async () => {
    const body = JSON.stringify({ token: 't', challenge: 'ch-123', type: 'url_verification' });
    const sent = await post('/slack/events', body, 'application/json');
    expect(sent.status).toBe(200);
    expect(sent.json()).toEqual({ challenge: 'ch-123' });
  });

  it('refuses a forged signature with 401 and processes nothing', async () => {
    const before = (await env.store.list(namespace)).length;
    const body = slashCommandBody({ text: 'run drop-caches node=gpu-node-9', user: approver });
    const sent = await post('/slack/commands', body, form, { secret: 'not-the-secret' });
    expect(sent.status).toBe(401);
    const alert = await pendingAlert([]);
    const click = await post('/slack/interactions', buttonClick('aegis_approve', approver, alert), form, {
      secret: 'not-the-secret',
    });
    expect(click.status).toBe(401);
    // A valid signature of another body does not carry over.
    const other = signSlackRequest(secret, 'something else');
    expect((await post('/slack/commands', body, form, { headers: other })).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await env.store.list(namespace)).length).toBe(before + 1);
    expect((await approvalOf(alert))?.state).toBe('Pending');
  });

  it('refuses a stale (or future) timestamp and missing headers with 401', async () => {
    const body = slashCommandBody({ text: 'help', user: approver });
    const now = Math.floor(Date.now() / 1000);
    expect((await post('/slack/commands', body, form, { timestamp: now - 6 * 60 })).status).toBe(401);
    expect((await post('/slack/commands', body, form, { timestamp: now + 6 * 60 })).status).toBe(401);
    expect((await post('/slack/commands', body, form, { headers: {} })).status).toBe(401);
    expect((await post('/slack/commands', body, form, { timestamp: now - 4 * 60 })).status).toBe(200);
  });

  it('accepts every kind at /slack/events too (single endpoint)', async () => {
    const sent = await post('/slack/events', slashCommandBody({ text: 'help', user: approver }), form);
    expect(sent.status).toBe(200);
    expect(sent.json()).toMatchObject({ response_type: 'ephemeral' });
  });
});

describe('/aegis', () => {
  it('help, and help for an unknown word', async () => {
    const help = await command('help');
    expect(help['response_type']).toBe('ephemeral');
    expect(blockText(help)).toContain('/aegis silence &lt;type|fingerprint&gt; &lt;duration&gt; [reason]');
    const unknown = await command('frobnicate');
    expect(blockText(unknown)).toContain("I don't know `frobnicate`");
  });

  it('usage errors in plain words', async () => {
    const reply = await command('silence NodeDown soon');
    expect(reply['text']).toBe(
      '"soon" is not a duration; use e.g. 30m, 2h or 1d. Usage: /aegis silence <type|fingerprint> <duration> [reason]',
    );
  });

  it('alerts, with filters, and alert <name>', async () => {
    const name = await pendingAlert([approver]);
    const all = await command('alerts');
    expect(blockText(all)).toContain(name);
    const awaiting = await command('alerts --status AwaitingApproval --type OpsRequest');
    expect(blockText(awaiting)).toContain(name);
    const none = await command('alerts --node no-such-node');
    expect(none['text']).toBe('No alerts with node no-such-node.');
    const detail = await command(`alert ${name}`);
    expect(detail['text']).toBe(`OpsRequest ${name}: AwaitingApproval`);
    expect(blockText(detail)).toContain('*Approvers:* <@U0APPROVER>');
    const missing = await command('alert nope');
    expect(missing['text']).toBe('There is no alert named nope.');
  });

  it('rules and templates', async () => {
    expect(blockText(await command('rules'))).toContain(
      '`memory-pressure` NodeMemoryPressure (Firing) → `drop-caches` · needs approval',
    );
    expect(blockText(await command('templates'))).toContain('`drop-caches` (`node`)');
  });

  it('run creates an ops request that waits for approval', async () => {
    const reply = await command('run drop-caches node=gpu-node-7 --reason memory pressure', requester);
    expect(reply['response_type']).toBe('ephemeral');
    const created = (await env.store.list(namespace)).find(
      (alert) => alert.spec.opsRequest?.parameters?.['node'] === 'gpu-node-7',
    );
    expect(created?.spec.opsRequest).toEqual({
      template: { namespace, name: 'drop-caches' },
      parameters: { node: 'gpu-node-7' },
      requestedBy: requester,
      reason: 'memory pressure',
    });
    expect(reply['text']).toBe(
      `Requested a run of drop-caches (${created?.metadata.name ?? ''}); it waits for someone else to approve it.`,
    );
    const bad = await command('run Not_A_Name');
    expect(bad['text']).toContain('"Not_A_Name" is not a template name');
  });

  it('silence, silences, unsilence: AegisSilence objects in the cluster', async () => {
    const created = await command('silence NodeMemoryPressure 2h maintenance window', approver);
    expect(created['response_type']).toBe('in_channel');
    const silences: AegisSilence[] = await services.silences.list();
    const silence = silences.find((item) => item.spec.matcher.type === 'NodeMemoryPressure');
    expect(silence?.spec).toMatchObject({ createdBy: approver, reason: 'maintenance window' });
    const hours = (Date.parse(silence?.spec.until ?? '') - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(1.99);
    expect(hours).toBeLessThanOrEqual(2);
    const name = silence?.metadata.name ?? '';
    expect(blockText(await command('silences'))).toContain(name);
    const ended = await command(`unsilence ${name}`);
    expect(ended['text']).toBe(`<@${approver}> ended silence ${name}.`);
    expect((await services.silences.list()).some((item) => item.metadata.name === name)).toBe(false);
    expect((await command(`unsilence ${name}`))['text']).toBe(
      `There is no silence named ${name}; see /aegis silences.`,
    );
  });

  it('attack replay: a guest cannot silence, unsilence or run; an operator cannot silence for 9999 weeks', async () => {
    const silencesBefore = (await services.silences.list()).length;
    const alertsBefore = (await env.store.list(namespace)).length;
    const silenced = await command('silence NodeHasEmergencyEvent 9999w nothing to see', outsider);
    expect(silenced['text']).toBe(
      `Only operators may /aegis silence; <@${outsider}> is not one. Ask an admin to add you (or a user group of yours) to AEGIS_SLACK_OPERATORS.`,
    );
    const ran = await command('run drop-caches node=gpu-node-3', outsider);
    expect(ran['text']).toContain(`Only operators may /aegis run; <@${outsider}> is not one`);
    expect((await services.silences.list()).length).toBe(silencesBefore);
    expect((await env.store.list(namespace)).length).toBe(alertsBefore);

    // An operator (through the user group) may silence, but not for longer than AEGIS_SILENCE_MAX.
    const tooLong = await command('silence NodeHasEmergencyEvent 9999w maintenance', approver);
    expect(tooLong['text']).toBe('A silence lasts at most 7d (AEGIS_SILENCE_MAX); ask for 7d or less.');
    expect((await services.silences.list()).length).toBe(silencesBefore);
    await command('silence NodeHasEmergencyEvent 7d maintenance', approver);
    const silence = (await services.silences.list()).find(
      (item) => item.spec.matcher.type === 'NodeHasEmergencyEvent',
    );
    expect(silence?.spec.createdBy).toBe(approver);
    const name = silence?.metadata.name ?? '';
    // The guest cannot end it either; reading stays open to them.
    expect((await command(`unsilence ${name}`, outsider))['text']).toContain(
      'Only operators may /aegis unsilence',
    );
    expect(blockText(await command('silences', outsider))).toContain(name);
    expect((await command(`unsilence ${name}`, requester))['text']).toBe(
      `<@${requester}> ended silence ${name}.`,
    );
  });

  it('status reports the API server, Redis, the LLM and queue depth', async () => {
    const reply = await command('status');
    expect(reply['text']).toBe('Aegis is healthy.');
    expect(blockText(reply)).toContain(':large_green_circle: *Redis:* reachable');
    expect(blockText(reply)).toContain('*LLM:* not configured');
    expect(blockText(reply)).toContain('`ingest` 0 waiting');
  });

  it('approve and reject by command go through the approval service', async () => {
    const name = await pendingAlert([approver]);
    const refused = await command(`approve ${name}`, outsider);
    expect(refused['text']).toBe(`${outsider} may not approve this run: only ${approver} may`);
    const approved = await command(`approve ${name}`, approver);
    expect(approved['text']).toBe(`You approved ${name}; the run starts now.`);
    expect((await approvalOf(name))?.history).toEqual([
      expect.objectContaining({ decision: 'Approved', by: approver, via: 'slack' }),
    ]);
  });
});

describe('approval buttons', () => {
  it('an allowed approver approves: the decision is recorded on the AegisAlert', async () => {
    const name = await pendingAlert([approver, group]);
    const sent = await post('/slack/interactions', buttonClick('aegis_approve', approver, name), form);
    expect(sent.status).toBe(200);
    const approval = await eventually(async () => {
      const current = await approvalOf(name);
      return current?.state === 'Approved' ? current : undefined;
    });
    expect(approval.history).toEqual([
      expect.objectContaining({ decision: 'Approved', by: approver, via: 'slack' }),
    ]);
    // The audit Event is recorded after the status write seen above.
    const reasons = await eventually(async () => {
      const list = await eventReasons(name);
      return list.includes('ApprovalGranted') ? list : undefined;
    });
    expect(reasons).toContain('ApprovalGranted');
  });

  it('a member of an approver user group may approve (resolved through usergroups.users.list)', async () => {
    const name = await pendingAlert([approver, group]);
    await post('/slack/interactions', buttonClick('aegis_approve', groupMember, name), form);
    const approval = await eventually(async () => {
      const current = await approvalOf(name);
      return current?.state === 'Approved' ? current : undefined;
    });
    expect(approval.history?.[0]).toMatchObject({ by: groupMember, group });
    expect(slack.callsOf('usergroups.users.list').map((call) => call.params['usergroup'])).toContain(group);
  });

  it('a non-approver runs nothing and is told why, ephemerally, in the thread', async () => {
    const name = await pendingAlert([approver, group]);
    const sent = await post('/slack/interactions', buttonClick('aegis_approve', outsider, name), form);
    expect(sent.status).toBe(200);
    const told = await soon(() => {
      const calls = slack.callsOf('chat.postEphemeral').filter((call) => call.params['user'] === outsider);
      return calls.find(
        (call) =>
          String(call.params['text']).includes(name) || String(call.params['text']).includes('may not'),
      );
    });
    expect(told.params).toMatchObject({
      channel: 'C0ALERTS',
      thread_ts: '1700000000.000100',
      text: `:no_entry: ${outsider} may not approve this run: only ${approver}, ${group} may`,
    });
    expect((await approvalOf(name))?.state).toBe('Pending');
    expect((await approvalOf(name))?.history).toEqual([]);
    expect(await eventReasons(name)).toContain('ApprovalRefused');
  });

  it('self-approval is refused', async () => {
    const name = await pendingAlert([]);
    await post('/slack/interactions', buttonClick('aegis_approve', requester, name), form);
    await soon(() =>
      ephemeralsTo(requester).find((text) => text.includes('requested this run and may not approve it')),
    );
    expect((await approvalOf(name))?.state).toBe('Pending');
  });

  it('a double click is idempotent: one decision, and the second click is told so', async () => {
    const name = await pendingAlert([], 2);
    const user = 'U0DOUBLE';
    await Promise.all([
      post('/slack/interactions', buttonClick('aegis_approve', user, name), form),
      post('/slack/interactions', buttonClick('aegis_approve', user, name), form),
    ]);
    await soon(() => (ephemeralsTo(user).length >= 2 ? true : undefined));
    const approval = await approvalOf(name);
    expect(approval?.state).toBe('Pending');
    expect(approval?.history?.filter((entry) => entry.by === user)).toHaveLength(1);
    expect(ephemeralsTo(user).sort()).toEqual(
      [
        `Your approval of ${name} is recorded (1 of 2 needed).`,
        `You already approved ${name}; nothing changed.`,
      ].sort(),
    );
  });

  it('View manifest opens the whole manifest for anyone, decides nothing; a gone alert is explained', async () => {
    const name = await pendingAlert([approver]);
    await post('/slack/interactions', buttonClick('aegis_view_manifest', outsider, name, 'trig-view'), form);
    const opened = await soon(() =>
      slack.callsOf('views.open').find((call) => call.params['trigger_id'] === 'trig-view'),
    );
    const view = JSON.stringify(opened.params['view']);
    expect(view).toContain('Workflow manifest');
    expect(view).toContain('kind: Workflow');
    expect((await approvalOf(name))?.state).toBe('Pending');
    expect(await eventReasons(name)).not.toContain('ApprovalRefused');

    await post(
      '/slack/interactions',
      buttonClick('aegis_view_manifest', outsider, 'no-such-alert', 'trig-gone'),
      form,
    );
    await soon(() =>
      ephemeralsTo(outsider).some((text) => text.includes('no-such-alert has no run waiting for approval'))
        ? true
        : undefined,
    );
    expect(slack.callsOf('views.open').some((call) => call.params['trigger_id'] === 'trig-gone')).toBe(false);
  });

  it('Reject opens a modal; submitting it with a reason rejects the run', async () => {
    const name = await pendingAlert([approver]);
    await post('/slack/interactions', buttonClick('aegis_reject', approver, name, 'trig-reject'), form);
    const opened = await soon(() =>
      slack.callsOf('views.open').find((call) => call.params['trigger_id'] === 'trig-reject'),
    );
    const view = opened.params['view'] as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('aegis_reject_modal');
    expect((await approvalOf(name))?.state).toBe('Pending');

    const submission = (reason: string) =>
      interactionBody({
        type: 'view_submission',
        team: { id: 'T0FAKE', domain: 'fake' },
        user: { id: approver, username: 'approver', team_id: 'T0FAKE' },
        api_app_id: 'A0AEGIS',
        token: 'legacy-verification-token',
        trigger_id: 'trig-submit',
        view: {
          id: 'V0001',
          team_id: 'T0FAKE',
          type: 'modal',
          callback_id: 'aegis_reject_modal',
          private_metadata: view.private_metadata,
          state: { values: { reason: { reason_input: { type: 'plain_text_input', value: reason } } } },
          hash: 'h',
          app_id: 'A0AEGIS',
          bot_id: 'B0AEGIS',
        },
      });
    const empty = await post('/slack/interactions', submission('   '), form);
    expect(empty.json()).toEqual({
      response_action: 'errors',
      errors: { reason: 'Say why the run should not happen.' },
    });
    expect((await approvalOf(name))?.state).toBe('Pending');

    const sent = await post('/slack/interactions', submission('change freeze until Monday'), form);
    expect(sent.status).toBe(200);
    const approval = await eventually(async () => {
      const current = await approvalOf(name);
      return current?.state === 'Rejected' ? current : undefined;
    });
    expect(approval.history).toEqual([
      expect.objectContaining({
        decision: 'Rejected',
        by: approver,
        via: 'slack',
        reason: 'change freeze until Monday',
      }),
    ]);
  });
});

describe('App Home and conversations', () => {
  it('app_home_opened publishes the home view with the approvals waiting for the viewer', async () => {
    const mine = await pendingAlert([group]);
    const notMine = await pendingAlert([approver]);
    const body = eventCallbackBody({
      type: 'app_home_opened',
      user: groupMember,
      channel: 'D0HOME',
      tab: 'home',
      event_ts: '1700000000.1',
    });
    expect((await post('/slack/events', body, 'application/json')).status).toBe(200);
    const published = await soon(() =>
      slack.callsOf('views.publish').find((call) => call.params['user_id'] === groupMember),
    );
    const view = JSON.stringify(published.params['view']);
    expect(view).toContain('"type":"home"');
    expect(view).toContain(`approval:${namespace}/${mine}`);
    expect(view).not.toContain(`approval:${namespace}/${notMine}`);
    expect(view).toContain('*Open alerts*');
  });

  it('a mention without an agent is answered with help in the thread', async () => {
    const ts = await postAsBot(slack, botToken, 'C0CHAT', 'hello team');
    const body = eventCallbackBody({
      type: 'app_mention',
      user: approver,
      text: '<@U0AEGIS> why is gpu-node-1 unhealthy?',
      ts,
      channel: 'C0CHAT',
      event_ts: ts,
    });
    expect((await post('/slack/events', body, 'application/json')).status).toBe(200);
    const thread = await soon(() => {
      const replies = channelView(slack, 'C0CHAT').replies(ts);
      return replies.length > 0 ? replies : undefined;
    });
    expect(thread[0]?.text).toBe('I can only run commands for now: try /aegis help.');
  });
});
