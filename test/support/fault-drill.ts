/**
 * The fault drill: a whole Aegis installation on loopback, built from real parts that the drill can break —
 * a redis-server with an append-only file (kill -9 and restart on the same port and directory), the sandbox API
 * server with fault injection, the fake Slack Web API (429s and 5xx on demand), and two `aegis serve` processes
 * (kill -9 and restart) started exactly as a user starts them, with KUBECONFIG, REDIS_URL and Slack settings.
 *
 * A sender delivers alerts the way Alertmanager does: each delivery carries its own `startsAt`, so a retry of
 * the same delivery is the same delivery, and it retries (on another replica) until it gets a 2xx. What was
 * acknowledged is then compared with what the cluster and Slack hold.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKubeClients, installCrds, readCrdManifests, type KubeClients } from '../../src/kube/index.js';
import { findFreePort, pingRedis } from '../../src/platform/index.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import type { AegisAlert } from '../../src/core/resources/index.js';
import {
  startFakeOpenAi,
  type FakeChatRequest,
  type FakeOpenAi,
  type FakeTextReply,
} from './fake-openai.js';
import { startFakeSlackApi, type FakeSlackApi } from './fake-slack-api.js';

export const drillNamespace = 'monitoring';
export const drillChannel = 'C0DRILL';
export const drillAlertType = 'DrillNodeEmergency';
/** Alerts of this type run the same Workflow, but only after two approvers agreed. */
export const drillApprovalType = 'DrillNeedsTwoApprovals';
export const drillApprovers = { U0DRILLA: 'drill-token-a', U0DRILLB: 'drill-token-b' } as const;
const webhookToken = 'drill-webhook-token';
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`fault drill: ${what} not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface DrillRedis {
  readonly url: string;
  readonly appendfsync: 'everysec' | 'always';
  kill9(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** redis-server with the persistence docs/operations recommend (AOF), on a fixed port so clients reconnect. */
async function startDrillRedis(dir: string, appendfsync: 'everysec' | 'always'): Promise<DrillRedis> {
  const port = await findFreePort();
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const args = ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', ''];
    args.push('--appendonly', 'yes', '--appendfsync', appendfsync, '--maxmemory-policy', 'noeviction');
    child = spawn('redis-server', args, { stdio: 'ignore' });
    await waitUntil('redis-server answering PING', 15_000, async () => {
      await pingRedis('127.0.0.1', port);
      return true;
    });
  };
  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill(signal);
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    appendfsync,
    kill9: () => kill('SIGKILL'),
    restart: start,
    stop: () => kill('SIGTERM'),
  };
}

export interface ServeProcess {
  readonly name: string;
  readonly url: string;
  readonly running: boolean;
  /** Everything the process wrote to stdout and stderr, for a failing test's message. */
  output(): string;
  start(): Promise<void>;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

function serveProcess(name: string, port: number, environment: Record<string, string>): ServeProcess {
  let child: ChildProcess | undefined;
  let output = '';
  const url = `http://127.0.0.1:${port}`;
  const alive = (): boolean => child !== undefined && child.exitCode === null && child.signalCode === null;
  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    if (running === undefined || !alive()) return;
    const exited = once(running, 'exit');
    running.kill(signal);
    const timer = setTimeout(() => running.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  return {
    name,
    url,
    get running() {
      return alive();
    },
    output: () => output.slice(-20_000),
    async start() {
      child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
        cwd: repoRoot,
        env: { ...process.env, ...environment, AEGIS_HTTP_PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      const deadline = Date.now() + 120_000;
      for (;;) {
        if (!alive()) throw new Error(`fault drill: ${name} exited: ${output.slice(-4000)}`);
        const ready = await fetch(`${url}/readyz`).then((response) => response.status === 200, () => false);
        if (ready) return;
        if (Date.now() > deadline) throw new Error(`fault drill: ${name} not ready in 120 s: ${output.slice(-4000)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    kill9: () => kill('SIGKILL'),
    stop: () => kill('SIGTERM'),
  };
}

export interface Delivery {
  /** The alert type (default the drill's cordon type). */
  type?: string;
  fingerprint: string;
  status: 'Firing' | 'Resolved';
  startsAt: string;
  node: string;
}

export interface SenderFigures {
  acknowledged: number;
  /** /ai/alert deliveries refused with 422 (the model's answer was unusable) and sent again, as an operator would. */
  refusedThenResent: number;
  /** Attempts answered with something other than 2xx, or that failed to connect, and were tried again. */
  retried: number;
  /** Answers by HTTP status (0: no answer). */
  answers: Record<string, number>;
}

/**
 * Delivers alerts as Alertmanager does: retried until a 2xx, on whichever replica is up, with backoff. A
 * delivery that gets a 4xx other than 429 is a bug in the drill (or in Aegis) and throws.
 */
export class DrillSender {
  readonly figures: SenderFigures = { acknowledged: 0, refusedThenResent: 0, retried: 0, answers: {} };

  private nextReplica = 0;

  constructor(private readonly replicas: () => ServeProcess[]) {}

  /**
   * `custom`: the custom JSON format on /default/alert. `ai`: one line of text on /ai/alert that only the LLM
   * can read (no recogniser knows it); a 422 there means the model's answer was unusable, and it is sent again.
   */
  async deliver(delivery: Delivery, route: 'custom' | 'ai' = 'custom', deadlineMs = 120_000): Promise<void> {
    const json = JSON.stringify({
      type: delivery.type ?? drillAlertType,
      status: delivery.status,
      startsAt: delivery.startsAt,
      involvedObject: { kind: 'Node', name: delivery.node },
      details: { node: delivery.node, reason: 'drill' },
      fingerprint: delivery.fingerprint,
    });
    const body = route === 'custom' ? json : drillText(delivery);
    const path = route === 'custom' ? '/default/alert' : '/ai/alert';
    const contentType = route === 'custom' ? 'application/json' : 'text/plain';
    const deadline = Date.now() + deadlineMs;
    for (let attempt = 0; ; attempt += 1) {
      // Round robin over every replica, dead or alive, as a Service does until its endpoints catch up.
      const replicas = this.replicas();
      const replica = replicas[this.nextReplica++ % Math.max(1, replicas.length)];
      let status = 0;
      if (replica !== undefined) {
        try {
          const response = await fetch(`${replica.url}${path}`, {
            method: 'POST',
            headers: { 'Content-Type': contentType, Authorization: `Bearer ${webhookToken}` },
            body,
            signal: AbortSignal.timeout(15_000),
          });
          status = response.status;
          await response.arrayBuffer();
        } catch {
          status = 0;
        }
      }
      this.figures.answers[String(status)] = (this.figures.answers[String(status)] ?? 0) + 1;
      if (status >= 200 && status < 300) {
        this.figures.acknowledged += 1;
        return;
      }
      if (route === 'ai' && status === 422) this.figures.refusedThenResent += 1;
      else if (status >= 400 && status < 500 && status !== 429)
        throw new Error(`fault drill: delivery refused with ${status}: ${body}`);
      if (Date.now() > deadline) throw new Error(`fault drill: delivery not acknowledged within ${deadlineMs} ms`);
      this.figures.retried += 1;
      await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** Math.min(attempt, 4))));
    }
  }
}

/** The text form of a delivery, for /ai/alert: nothing but the fake model reads it. */
export function drillText(delivery: Delivery): string {
  return `DRILL-ALERT fingerprint=${delivery.fingerprint} status=${delivery.status} startsAt=${delivery.startsAt} node=${delivery.node}`;
}

/** What a well-behaved model answers for a drill text (the strict JSON schema's shape). */
function modelAnswer(request: FakeChatRequest): FakeTextReply {
  const match = /DRILL-ALERT fingerprint=(\S+) status=(\S+) startsAt=(\S+) node=([\w-]+)/.exec(request.text);
  if (match === null) return { content: JSON.stringify({ alerts: [] }) };
  const [, fingerprint, status, startsAt, node] = match;
  const alert = {
    type: drillAlertType,
    status,
    involvedObject: { kind: 'Node', name: node, namespace: null, node },
    details: [
      { key: 'node', value: node },
      { key: 'reason', value: 'drill' },
    ],
    fingerprint,
    severity: null,
    startsAt,
  };
  return { content: JSON.stringify({ alerts: [alert] }) };
}

/** How the fake model misbehaves while an LLM fault is on; each request draws the next mode in turn. */
export type LlmFault = 'timeout' | 'rate-limited' | 'garbage';

export interface StreamPlan {
  /** Distinct alerts (fingerprints) in the stream. */
  alerts: number;
  /** Firing deliveries per alert, each with its own startsAt. */
  firingPerAlert: number;
  /** Whether each alert ends with a Resolved delivery. */
  resolve: boolean;
  /** Prefix that keeps this stream's fingerprints apart from other streams'. */
  prefix: string;
  /** Where the deliveries go (default the custom JSON route). */
  route?: 'custom' | 'ai';
  /** Alert type (default the drill's cordon type; `drillApprovalType` needs two approvals). */
  type?: string;
}

export interface StreamExpectation {
  plan: StreamPlan;
  fingerprints: string[];
}

/** The deliveries of one alert, in the order a sender emits them. */
export function deliveriesOf(plan: StreamPlan, index: number): Delivery[] {
  const fingerprint = `${plan.prefix}-${String(index).padStart(4, '0')}`;
  const node = `node-${(index % 4) + 1}`;
  const base = Date.parse('2026-01-01T00:00:00Z') + index * 3_600_000;
  const out: Delivery[] = [];
  const type = plan.type === undefined ? {} : { type: plan.type };
  for (let k = 0; k < plan.firingPerAlert; k += 1)
    out.push({ ...type, fingerprint, node, status: 'Firing', startsAt: new Date(base + k * 1000).toISOString() });
  if (plan.resolve)
    out.push({ ...type, fingerprint, node, status: 'Resolved', startsAt: new Date(base).toISOString() });
  return out;
}

/**
 * Send a stream: every alert's deliveries in order (a Resolved only after its Firings were acknowledged), many
 * alerts at once. `during` runs once `afterAcknowledged` deliveries are in: that is where the fault goes.
 */
export async function sendStream(
  sender: DrillSender,
  plan: StreamPlan,
  options: { concurrency?: number; afterAcknowledged?: number; during?: () => Promise<void> } = {},
): Promise<StreamExpectation> {
  const fingerprints: string[] = [];
  const queue = Array.from({ length: plan.alerts }, (_, index) => index);
  let sent = 0;
  let fault: Promise<void> | undefined;
  const worker = async (): Promise<void> => {
    for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
      const deliveries = deliveriesOf(plan, index);
      fingerprints.push(deliveries[0]?.fingerprint ?? '');
      for (const delivery of deliveries) {
        await sender.deliver(delivery, plan.route ?? 'custom');
        sent += 1;
        if (fault === undefined && options.during !== undefined && sent >= (options.afterAcknowledged ?? 0))
          fault = options.during();
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, () => worker()));
  await fault;
  return { plan, fingerprints: fingerprints.sort() };
}

export interface DrillEnvironment {
  readonly sandbox: SandboxHandle;
  readonly clients: KubeClients;
  readonly redis: DrillRedis;
  readonly slack: FakeSlackApi;
  readonly llm: FakeOpenAi;
  /** Make the model misbehave (each request takes the next of `faults` in turn), or behave again. */
  llmFaults(faults: readonly LlmFault[] | undefined): void;
  readonly replicas: ServeProcess[];
  readonly sender: DrillSender;
  /** Replace the sandbox's fault plan (see docs/sandbox.md); `{}` clears it. */
  apiFaults(plan: unknown): Promise<void>;
  pauseApi(seconds: number): Promise<void>;
  alerts(): Promise<AegisAlert[]>;
  workflows(): Promise<{ metadata: { name: string; ownerReferences?: { uid: string }[] } }[]>;
  close(): Promise<void>;
}

/** The template the drill's rule runs: a Workflow that keeps running (so repeats count on the same alert). */
const drillTemplate = {
  apiVersion: 'aegis.io/v1alpha1',
  kind: 'AegisOpsTemplate',
  metadata: { name: 'drill-cordon', namespace: drillNamespace },
  spec: {
    manifest: [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Workflow',
      'metadata:',
      '  annotations:',
      '    sandbox.aegis.io/duration: 30m',
      'spec:',
      '  serviceAccountName: aegis-workflow',
      '  entrypoint: start',
      '  templates:',
      '  - name: start',
      '    container:',
      '      image: bitnami/kubectl:latest',
      '      command: [kubectl, cordon, "{{.node}}"]',
      '',
    ].join('\n'),
  },
};

const approvalRule = {
  apiVersion: 'aegis.io/v1alpha1',
  kind: 'AegisAlertOpsRule',
  metadata: { name: 'drill-approval', namespace: drillNamespace },
  spec: {
    alertConditions: [{ type: drillApprovalType, status: 'Firing' }],
    opsTemplate: { kind: 'AegisOpsTemplate', apiVersion: 'aegis.io/v1alpha1', namespace: drillNamespace, name: 'drill-cordon' },
    approval: { required: true, approvers: Object.keys(drillApprovers), minApprovals: 2, timeout: '30m' },
  },
};

const drillRule = {
  apiVersion: 'aegis.io/v1alpha1',
  kind: 'AegisAlertOpsRule',
  metadata: { name: 'drill-cordon', namespace: drillNamespace },
  spec: {
    alertConditions: [{ type: drillAlertType, status: 'Firing' }],
    opsTemplate: { kind: 'AegisOpsTemplate', apiVersion: 'aegis.io/v1alpha1', namespace: drillNamespace, name: 'drill-cordon' },
  },
};

export async function startDrill(options: { appendfsync?: 'everysec' | 'always'; replicas?: number } = {}): Promise<DrillEnvironment> {
  const dir = await mkdtemp(join(tmpdir(), 'aegis-fault-drill-'));
  await mkdir(join(dir, 'redis'));
  const sandbox = await startSandbox({ nodes: 4, faults: true });
  const cleanups: Array<() => Promise<unknown>> = [() => sandbox.close(), () => rm(dir, { recursive: true, force: true })];
  try {
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, sandbox.kubeconfig);
    const clients = createKubeClients({ yaml: sandbox.kubeconfig });
    await installCrds(clients, await readCrdManifests());
    await clients.core.createNamespace({ body: { metadata: { name: drillNamespace } } });
    await clients.core.createNamespacedServiceAccount({ namespace: drillNamespace, body: { metadata: { name: 'aegis-workflow' } } });
    const aegis = { group: 'aegis.io', version: 'v1alpha1', namespace: drillNamespace };
    await clients.customObjects.createNamespacedCustomObject({ ...aegis, plural: 'aegisopstemplates', body: drillTemplate });
    await clients.customObjects.createNamespacedCustomObject({ ...aegis, plural: 'aegisalertopsrules', body: drillRule });
    await clients.customObjects.createNamespacedCustomObject({ ...aegis, plural: 'aegisalertopsrules', body: approvalRule });

    const redis = await startDrillRedis(join(dir, 'redis'), options.appendfsync ?? 'everysec');
    cleanups.unshift(() => redis.stop());
    const slack = await startFakeSlackApi({ tokens: ['xoxb-drill'] });
    cleanups.unshift(() => slack.close());
    const llm = await startFakeOpenAi();
    cleanups.unshift(() => llm.close());
    let llmFaults: readonly LlmFault[] | undefined;
    let drawn = 0;
    llm.setHandler((request) => {
      const fault = llmFaults === undefined ? undefined : llmFaults[drawn++ % llmFaults.length];
      if (fault === 'timeout') return { ...modelAnswer(request), delayMs: 6_000 };
      if (fault === 'rate-limited') return { status: 429, message: 'rate limited (drill)', retryAfterMs: 500 };
      if (fault === 'garbage') return { content: 'Sure! Here is what I found: the node looks unhappy.' };
      return modelAnswer(request);
    });
    const replicas: ServeProcess[] = [];
    for (let i = 0; i < (options.replicas ?? 2); i += 1) {
      const replica = serveProcess(`aegis-${i + 1}`, await findFreePort(), {
        KUBECONFIG: kubeconfig,
        AEGIS_SANDBOX: 'false',
        REDIS_URL: redis.url,
        AEGIS_NAMESPACE: drillNamespace,
        AEGIS_STATE_DIR: join(dir, `state-${i + 1}`),
        AEGIS_WEBHOOK_TOKEN: webhookToken,
        AEGIS_API_TOKEN: Object.entries(drillApprovers).map(([who, token]) => `${who}:${token}`).join(','),
        AEGIS_WORKFLOW_SERVICE_ACCOUNTS: 'aegis-workflow',
        SLACK_BOT_TOKEN: 'xoxb-drill',
        SLACK_SIGNING_SECRET: 'drill-signing-secret',
        SLACK_API_URL: slack.url,
        AEGIS_SLACK_CHANNEL: drillChannel,
        // One root message per alert, so "no message posted twice" can be counted per alert.
        AEGIS_SLACK_STORM_THRESHOLD: '10000',
        OPENAI_BASE_URL: llm.baseUrl,
        OPENAI_API_KEY: 'sk-drill',
        AEGIS_LLM_MODEL: 'fake-model',
        AEGIS_LLM_TIMEOUT: '3s',
        AEGIS_LLM_MAX_RETRIES: '0',
        LOG_LEVEL: 'warn',
      });
      replicas.push(replica);
      cleanups.unshift(() => replica.stop());
    }
    await Promise.all(replicas.map((replica) => replica.start()));
    const admin = async (path: string, method: string, body: unknown): Promise<void> => {
      const response = await fetch(`${sandbox.url}${path}`, { method, body: JSON.stringify(body) });
      if (response.status !== 200) throw new Error(`sandbox ${path}: ${response.status} ${await response.text()}`);
    };
    return {
      sandbox,
      clients,
      redis,
      slack,
      llm,
      llmFaults(faults) {
        llmFaults = faults;
      },
      replicas,
      sender: new DrillSender(() => replicas),
      apiFaults: (plan) => admin('/_sandbox/faults', 'PUT', plan),
      pauseApi: (seconds) => admin('/_sandbox/pause', 'POST', { seconds }),
      async alerts() {
        const list = (await clients.customObjects.listNamespacedCustomObject({ ...aegis, plural: 'aegisalerts' })) as {
          items: AegisAlert[];
        };
        return list.items;
      },
      async workflows() {
        const list = (await clients.customObjects.listNamespacedCustomObject({
          group: 'argoproj.io',
          version: 'v1alpha1',
          namespace: drillNamespace,
          plural: 'workflows',
        })) as { items: { metadata: { name: string; ownerReferences?: { uid: string }[] } }[] };
        return list.items;
      },
      async close() {
        for (const cleanup of cleanups) await cleanup().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    throw error;
  }
}

export interface StreamOutcome {
  alerts: number;
  /** Fingerprints with no AegisAlert, or with more than one. */
  missing: string[];
  duplicated: string[];
  /** The alerts of the duplicated fingerprints, as they stand (for the failure message). */
  duplicatedAlerts: unknown[];
  /** Fingerprints whose count differs from the acknowledged Firing deliveries. */
  wrongCounts: { fingerprint: string; expected: number; actual: number | undefined }[];
  /** Fingerprints whose last acknowledged delivery was Resolved but whose alert is not. */
  unresolved: string[];
  /** Alerts with more than one Workflow, and alerts whose status names a Workflow that does not exist. */
  workflowsTwice: string[];
  workflowsMissing: string[];
  /**
   * Alerts the rule never triggered. Fine for an alert that was resolved before its reconcile ran (the rule
   * matches Firing alerts only), which faults can make happen; a clean stream has none.
   */
  untriggered: string[];
  /** Root messages no alert points at (posted twice), and alerts that point at no root message. */
  slackDuplicates: number;
  slackMissing: string[];
}

/** Compare what a stream acknowledged with what the cluster and Slack hold now. */
export async function outcomeOf(env: DrillEnvironment, expectation: StreamExpectation): Promise<StreamOutcome> {
  const wanted = new Set(expectation.fingerprints);
  const alerts = (await env.alerts()).filter((alert) => wanted.has(alert.metadata.labels?.['fingerprint'] ?? ''));
  const byFingerprint = new Map<string, AegisAlert[]>();
  for (const alert of alerts) {
    const fingerprint = alert.metadata.labels?.['fingerprint'] ?? '';
    byFingerprint.set(fingerprint, [...(byFingerprint.get(fingerprint) ?? []), alert]);
  }
  const workflows = await env.workflows();
  const workflowsByOwner = new Map<string, number>();
  for (const workflow of workflows)
    for (const owner of workflow.metadata.ownerReferences ?? [])
      workflowsByOwner.set(owner.uid, (workflowsByOwner.get(owner.uid) ?? 0) + 1);
  const roots = env.slack.messages(drillChannel);
  const rootsByTs = new Map(roots.map((root) => [root.ts, root]));
  const outcome: StreamOutcome = {
    alerts: alerts.length,
    missing: [],
    duplicated: [],
    duplicatedAlerts: [],
    wrongCounts: [],
    unresolved: [],
    workflowsTwice: [],
    workflowsMissing: [],
    untriggered: [],
    slackDuplicates: 0,
    slackMissing: [],
  };
  for (const fingerprint of expectation.fingerprints) {
    const found = byFingerprint.get(fingerprint) ?? [];
    if (found.length === 0) outcome.missing.push(fingerprint);
    if (found.length > 1) {
      outcome.duplicated.push(fingerprint);
      outcome.duplicatedAlerts.push(
        ...found.map((item) => ({ name: item.metadata.name, created: item.metadata.creationTimestamp, annotations: item.metadata.annotations, status: item.status })),
      );
    }
    const alert = found[0];
    if (alert === undefined) continue;
    const expected = expectation.plan.firingPerAlert;
    if (alert.status?.count !== expected) outcome.wrongCounts.push({ fingerprint, expected, actual: alert.status?.count });
    if (expectation.plan.resolve && alert.status?.status !== 'Resolved') outcome.unresolved.push(fingerprint);
    const runs = workflowsByOwner.get(alert.metadata.uid ?? '') ?? 0;
    if (runs > 1) outcome.workflowsTwice.push(fingerprint);
    // Triggered: its Workflow was created (running, or held for approval).
    const ops = alert.status?.opsStatus;
    const triggered = ops?.workflowName !== undefined || ops?.triggerStatus === 'AwaitingApproval';
    if (runs === 0 && triggered) outcome.workflowsMissing.push(fingerprint);
    if (runs === 0 && !triggered) outcome.untriggered.push(fingerprint);
    if (!triggered && alert.status?.status !== 'Resolved') outcome.workflowsMissing.push(fingerprint);
    const ts = alert.status?.slack?.ts;
    if (ts === undefined || !rootsByTs.has(ts)) outcome.slackMissing.push(fingerprint);
  }
  // A root message that no AegisAlert points at (its own, or its storm group's) was posted but never recorded:
  // a second post of something already shown.
  const claimed = new Set((await env.alerts()).map((alert) => alert.status?.slack?.ts));
  for (const root of roots) if (!claimed.has(root.ts)) outcome.slackDuplicates += 1;
  return outcome;
}

/** True when nothing was lost or doubled; the outcome's lists say what otherwise. */
export function isClean(outcome: StreamOutcome): boolean {
  return (
    outcome.missing.length === 0 &&
    outcome.duplicated.length === 0 &&
    outcome.wrongCounts.length === 0 &&
    outcome.unresolved.length === 0 &&
    outcome.workflowsTwice.length === 0 &&
    outcome.workflowsMissing.length === 0 &&
    outcome.slackDuplicates === 0 &&
    outcome.slackMissing.length === 0
  );
}

/** Wait until the stream's outcome is clean (the system converged), or answer the last outcome seen. */
export async function settle(env: DrillEnvironment, expectation: StreamExpectation, timeoutMs: number): Promise<StreamOutcome> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outcome = await outcomeOf(env, expectation).catch(() => undefined);
    if (outcome !== undefined && isClean(outcome)) return outcome;
    if (Date.now() > deadline) return outcome ?? (await outcomeOf(env, expectation));
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export interface ApprovalFigures {
  /** Decisions sent (each approver approves every alert twice, as a double click or a CLI retry would). */
  sent: number;
  /** Answers by HTTP status (0: no answer: the replica was down). */
  answers: Record<string, number>;
}

/**
 * Approve every alert of `fingerprints` as each drill approver, twice each, through whichever replica answers
 * (retried on no answer or 5xx, as a person retries the CLI), while `during` runs (e.g. a replica is killed).
 */
export async function approveAll(
  env: DrillEnvironment,
  fingerprints: readonly string[],
  during?: () => Promise<void>,
): Promise<ApprovalFigures> {
  const figures: ApprovalFigures = { sent: 0, answers: {} };
  const names = new Map<string, string>();
  await waitUntil('every approval alert awaiting approval', 120_000, async () => {
    for (const alert of await env.alerts()) {
      const fingerprint = alert.metadata.labels?.['fingerprint'] ?? '';
      if (fingerprints.includes(fingerprint) && alert.status?.approval?.state === 'Pending')
        names.set(fingerprint, alert.metadata.name ?? '');
    }
    return names.size === fingerprints.length;
  });
  let turn = 0;
  const decide = async (name: string, token: string): Promise<void> => {
    for (let attempt = 0; attempt < 60; attempt += 1) {
      const replica = env.replicas[turn++ % env.replicas.length];
      let status = 0;
      try {
        const response = await fetch(`${replica?.url}/api/v1/alerts/${drillNamespace}/${name}/approve`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify({ reason: 'drill' }),
          signal: AbortSignal.timeout(15_000),
        });
        status = response.status;
        await response.arrayBuffer();
      } catch {
        status = 0;
      }
      figures.answers[String(status)] = (figures.answers[String(status)] ?? 0) + 1;
      if (status !== 0 && status < 500) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`fault drill: approving ${name} got no answer`);
  };
  const fault = during?.();
  const work = [...names.values()].flatMap((name) =>
    Object.values(drillApprovers).flatMap((token) => [name, name].map(() => ({ name, token }))),
  );
  figures.sent = work.length;
  const queue = [...work];
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await decide(item.name, item.token);
    }),
  );
  await fault;
  return figures;
}

export interface ApprovalOutcome {
  /** Alerts whose history does not hold exactly one approval per approver. */
  wrongDecisions: { fingerprint: string; approvals: string[] }[];
  /** Alerts whose Workflow is still held (suspended) after both approvals. */
  stillHeld: string[];
}

/** After `approveAll`: each alert approved once per approver, and its one Workflow resumed. */
export async function approvalOutcomeOf(env: DrillEnvironment, fingerprints: readonly string[]): Promise<ApprovalOutcome> {
  const outcome: ApprovalOutcome = { wrongDecisions: [], stillHeld: [] };
  const workflows = (await env.workflows()) as { metadata: { ownerReferences?: { uid: string }[] }; spec?: { suspend?: boolean } }[];
  for (const alert of await env.alerts()) {
    const fingerprint = alert.metadata.labels?.['fingerprint'] ?? '';
    if (!fingerprints.includes(fingerprint)) continue;
    const approvals = (alert.status?.approval?.history ?? [])
      .filter((entry) => entry.decision === 'Approved')
      .map((entry) => entry.by);
    if (approvals.length !== 2 || new Set(approvals).size !== 2) outcome.wrongDecisions.push({ fingerprint, approvals });
    const own = workflows.filter((workflow) => workflow.metadata.ownerReferences?.some((owner) => owner.uid === alert.metadata.uid));
    if (own.length !== 1 || own[0]?.spec?.suspend === true) outcome.stillHeld.push(fingerprint);
  }
  return outcome;
}
