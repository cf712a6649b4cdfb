/**
 * `aegis serve` on the sandbox with Slack pointed at the fake Slack Web API (SLACK_API_URL), exactly as a user
 * configures it: over HTTP (a signing secret; requests signed as Slack signs them) or over Socket Mode (an
 * app-level token; the fake Socket Mode server the caller started), plus any further settings (the LLM's).
 * With it, what the Slack end-to-end tests share: the cordon example applied, the README example alert
 * posted, its AegisAlert and root message found, Workflows listed, buttons clicked over HTTP, and a `waitFor`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import YAML from 'yaml';
import { startServe, type RunningServe } from '../../src/cli/index.js';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/core/logger.js';
import type { AegisAlert } from '../../src/core/resources/index.js';
import { findFreePort } from '../../src/platform/index.js';
import { startFakeSlackApi, type FakeMessage, type FakeSlackApi } from './fake-slack-api.js';
import { buttonsOf, channelView, shown, type FakeChannelView } from './fake-slack-messages.js';
import type { FakeSocketMode } from './fake-slack-socket-mode.js';
import { clickOn } from './slack-payloads.js';
import { interactionBody, postSigned } from './slack-signing.js';

export const exampleNamespace = 'monitoring';
/** The channel serve posts alerts to (AEGIS_SLACK_CHANNEL). */
export const opsChannel = 'C0AEGISOPS';
const aegis = { group: 'aegis.io', version: 'v1alpha1', namespace: exampleNamespace } as const;
const exampleAlertFile = 'examples/alerts/custom-node-firing.json';

/** A file of the repository (examples, golden files), as text. */
export async function readRepoFile(path: string): Promise<string> {
  return await readFile(new URL(`../../${path}`, import.meta.url), 'utf8');
}

export interface SlackServeOptions {
  /** Prefix of the temporary state directory. */
  readonly name: string;
  readonly botToken: string;
  /** HTTP mode: Slack's requests reach /slack/* on the Aegis HTTP port, signed with this secret. */
  readonly signingSecret?: string;
  /** Socket Mode: the app-level token, and the fake Socket Mode server `apps.connections.open` hands out. */
  readonly socketMode?: { readonly appToken: string; readonly socket: FakeSocketMode };
  /** Further settings, e.g. the LLM's. */
  readonly settings?: Readonly<Record<string, string>>;
  /** How long `waitFor` waits before it fails. */
  readonly timeoutMs: number;
}

export interface WorkflowItem {
  metadata: { name: string; ownerReferences?: { uid: string }[] };
  spec?: { suspend?: boolean };
}

export interface SlackServeEnvironment extends FakeChannelView {
  readonly slack: FakeSlackApi;
  /** The running serve; throws once `stopServe()` has stopped it. */
  readonly serve: RunningServe;
  /** Polls `check` every 100 ms until it answers something other than undefined. */
  waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined): Promise<T>;
  alerts(): Promise<AegisAlert[]>;
  alertNamed(name: string): Promise<AegisAlert | undefined>;
  alertWithFingerprint(fingerprint: string): Promise<AegisAlert | undefined>;
  workflows(): Promise<WorkflowItem[]>;
  workflowNames(): Promise<string[]>;
  /** Creates the object of a YAML file of the repository, after `change` (if given) edited it. */
  applyExample(
    file: string,
    plural: string,
    change?: (body: { spec: Record<string, unknown> }) => void,
  ): Promise<void>;
  /** The cordon example's template and rule; with `approvers`, the rule requires their approval. */
  applyCordonExample(approvers?: readonly string[]): Promise<void>;
  /**
   * POSTs the README example alert to /default/alert (as written, or under another fingerprint) and expects
   * 202; answers its fingerprint.
   */
  postExampleAlert(fingerprint?: string): Promise<string>;
  /** The alert's root message: its AegisAlert once status.slack names it, in the channel, and the message there. */
  rootMessageOf(fingerprint: string): Promise<{ alert: AegisAlert; ts: string }>;
  /** Waits for the approval request (the reply with buttons) in the thread of the root message `rootTs`. */
  approvalRequestIn(rootTs: string): Promise<FakeMessage>;
  /**
   * Waits for the alert to succeed after `approver` approved it in Slack, and checks the decision is recorded
   * and its Workflow exists; answers the alert and the Workflow's name.
   */
  succeededAfterApproval(
    fingerprint: string,
    approver: string,
  ): Promise<{ alert: AegisAlert; workflow: string }>;
  /** Waits until every message with one of these ts has lost its buttons and says that `by` decided. */
  waitForDecision(messages: readonly (string | undefined)[], by: string): Promise<void>;
  /** POSTs `body` to `path` on the Aegis HTTP port, signed with the signing secret; answers the status. */
  postSigned(path: string, body: string, contentType: string): Promise<number>;
  /** `user` clicks a button of `message`, as Slack posts it to the Interactivity Request URL. */
  click(user: string, message: FakeMessage, actionId: string): Promise<number>;
  /** Stops serve (and with it the Slack connection); `close()` then leaves it be. */
  stopServe(): Promise<void>;
  /** Stops serve (unless stopped), the fake Slack Web API, and removes the state directory. */
  close(): Promise<void>;
}

export async function startSlackServe(options: SlackServeOptions): Promise<SlackServeEnvironment> {
  const { botToken, signingSecret, socketMode, timeoutMs } = options;
  const stateDir = await mkdtemp(join(tmpdir(), options.name));
  let slack: FakeSlackApi | undefined;
  let running: RunningServe | undefined;
  try {
    slack = await startFakeSlackApi(
      socketMode === undefined
        ? { tokens: [botToken] }
        : { tokens: [botToken, socketMode.appToken], socketModeUrl: () => socketMode.socket.connectionUrl() },
    );
    const config = loadConfig({
      AEGIS_SANDBOX: 'true',
      AEGIS_HTTP_HOST: '127.0.0.1',
      AEGIS_HTTP_PORT: String(await findFreePort()),
      AEGIS_STATE_DIR: stateDir,
      SLACK_BOT_TOKEN: botToken,
      ...(signingSecret === undefined ? {} : { SLACK_SIGNING_SECRET: signingSecret }),
      // Socket Mode needs no signing secret: the WebSocket is authenticated by the app-level token.
      ...(socketMode === undefined ? {} : { SLACK_APP_TOKEN: socketMode.appToken }),
      SLACK_API_URL: slack.url,
      AEGIS_SLACK_CHANNEL: opsChannel,
      ...options.settings,
    });
    running = await startServe(config, { logger: silentLogger, print: () => undefined });
  } catch (error) {
    await slack?.close();
    await rm(stateDir, { recursive: true, force: true });
    throw error;
  }
  const fakeSlack = slack;

  const serve = (): RunningServe => {
    if (running === undefined) throw new Error('serve is not running');
    return running;
  };

  const waitFor = async <T>(
    what: string,
    check: () => Promise<T | undefined> | T | undefined,
  ): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const alerts = async (): Promise<AegisAlert[]> => {
    const list = (await serve().kubeClients.customObjects.listNamespacedCustomObject({
      ...aegis,
      plural: 'aegisalerts',
    })) as { items: AegisAlert[] };
    return list.items;
  };

  const alertWithFingerprint = async (fingerprint: string): Promise<AegisAlert | undefined> =>
    (await alerts()).find((alert) => alert.metadata.labels?.['fingerprint'] === fingerprint);

  const workflows = async (): Promise<WorkflowItem[]> => {
    const list = (await serve().kubeClients.customObjects.listNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: exampleNamespace,
      plural: 'workflows',
    })) as { items: WorkflowItem[] };
    return list.items;
  };

  const applyExample = async (
    file: string,
    plural: string,
    change?: (body: { spec: Record<string, unknown> }) => void,
  ): Promise<void> => {
    const body = YAML.parse(await readRepoFile(file)) as { spec: Record<string, unknown> };
    change?.(body);
    await serve().kubeClients.customObjects.createNamespacedCustomObject({ ...aegis, plural, body });
  };

  const postSignedTo = async (path: string, body: string, contentType: string): Promise<number> => {
    if (signingSecret === undefined) throw new Error('serve was started without a signing secret');
    return (await postSigned(`${serve().httpUrl}${path}`, body, contentType, { secret: signingSecret }))
      .status;
  };

  const view = channelView(fakeSlack, opsChannel);
  return {
    ...view,
    slack: fakeSlack,
    get serve() {
      return serve();
    },
    waitFor,
    alerts,
    alertNamed: async (name) => (await alerts()).find((alert) => alert.metadata.name === name),
    alertWithFingerprint,
    workflows,
    workflowNames: async () => (await workflows()).map((item) => item.metadata.name),
    applyExample,
    async applyCordonExample(approvers) {
      await applyExample('examples/cordon-on-emergency/template.yaml', 'aegisopstemplates');
      await applyExample('examples/cordon-on-emergency/rule.yaml', 'aegisalertopsrules', (rule) => {
        if (approvers !== undefined) rule.spec['approval'] = { required: true, approvers: [...approvers] };
      });
    },
    async postExampleAlert(fingerprint) {
      const example = await readRepoFile(exampleAlertFile);
      const parsed = JSON.parse(example) as { fingerprint: string };
      if (fingerprint !== undefined) parsed.fingerprint = fingerprint;
      const response = await fetch(`${serve().httpUrl}/default/alert`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: fingerprint === undefined ? example : JSON.stringify(parsed),
      });
      expect(response.status).toBe(202);
      return parsed.fingerprint;
    },
    async rootMessageOf(fingerprint) {
      const alert = await waitFor(`status.slack of the alert ${fingerprint}`, async () => {
        const found = await alertWithFingerprint(fingerprint);
        return found?.status?.slack === undefined ? undefined : found;
      });
      const ts = alert.status?.slack?.ts ?? '';
      expect(alert.status?.slack?.channel).toBe(opsChannel);
      await waitFor('the root message in the fake channel', () => view.root(ts));
      return { alert, ts };
    },
    async approvalRequestIn(rootTs) {
      return await waitFor('the approval request in the thread', () =>
        view.replies(rootTs).find((reply) => buttonsOf(reply) !== undefined),
      );
    },
    async succeededAfterApproval(fingerprint, approver) {
      const alert = await waitFor('the approved alert to succeed', async () => {
        const current = await alertWithFingerprint(fingerprint);
        return current?.status?.opsStatus?.alertOpsStatus === 'Succeeded' ? current : undefined;
      });
      expect(alert.status?.approval?.state).toBe('Approved');
      expect(alert.status?.approval?.history).toEqual([
        expect.objectContaining({ decision: 'Approved', by: approver, via: 'slack' }),
      ]);
      const workflow = alert.status?.opsStatus?.workflowName;
      expect(workflow).toBeDefined();
      expect((await workflows()).map((item) => item.metadata.name)).toContain(workflow);
      return { alert, workflow: workflow ?? '' };
    },
    async waitForDecision(messages, by) {
      await waitFor(`the approval message(s) ${messages.join(', ')} to show the decision`, () => {
        const decided = view
          .everyMessage()
          .filter(
            (message) =>
              messages.includes(message.ts) &&
              buttonsOf(message) === undefined &&
              shown(message).includes(by),
          );
        return decided.length === messages.length ? true : undefined;
      });
    },
    postSigned: postSignedTo,
    async click(user, message, actionId) {
      return await postSignedTo(
        '/slack/interactions',
        interactionBody(clickOn(user, message, actionId)),
        'application/x-www-form-urlencoded',
      );
    },
    async stopServe() {
      const stopping = serve();
      running = undefined;
      await stopping.close();
    },
    async close() {
      const stopping = running;
      running = undefined;
      await stopping?.close();
      await fakeSlack.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
