/**
 * Health checks in Slack, end to end with `aegis serve` on the sandbox and the fake Slack Web API: the digest of
 * each round shows only what changed (posted in the channel routed for NodeHealthCheckFailed), rounds without
 * change post nothing, and `/aegis checks` / `/aegis check node` answer as a user sees them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { AegisClusterHealthCheck } from '../src/core/resources/index.js';
import { shown } from './support/fake-slack-messages.js';
import {
  readRepoFile,
  startSlackServe,
  type SlackServeEnvironment,
} from './support/slack-serve-environment.js';
import { postSigned, slashCommandBody } from './support/slack-signing.js';

const botToken = 'xoxb-health';
const signingSecret = 'health-signing-secret';
const healthChannel = 'C0HEALTH';
const aegis = { group: 'aegis.io', version: 'v1alpha1', namespace: 'aegis-healthchecks' } as const;
let env: SlackServeEnvironment;

const failing =
  'results:\n  gpu:\n  - {item: gpu-count, condition: GpuCountMismatch, level: critical, status: true, message: "6 of 8 GPUs visible"}\n';

async function annotateNode(node: string, value: string | null): Promise<void> {
  const { PatchStrategy, setHeaderOptions } = await import('@kubernetes/client-node');
  await env.serve.kubeClients.core.patchNode(
    { name: node, body: { metadata: { annotations: { 'sandbox.aegis.io/pod-log.checker': value } } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

async function round(): Promise<AegisClusterHealthCheck> {
  return (await env.serve.kubeClients.customObjects.getNamespacedCustomObject({
    ...aegis,
    plural: 'aegisclusterhealthchecks',
    name: 'gpu-nodes',
  })) as AegisClusterHealthCheck;
}

async function command(text: string): Promise<string> {
  const sent = await postSigned(
    `${env.serve.httpUrl}/slack/commands`,
    slashCommandBody({ text, user: 'U0SRE', channel: 'C0SRE' }),
    'application/x-www-form-urlencoded',
    { secret: signingSecret },
  );
  expect(sent.status).toBe(200);
  return sent.text;
}

// The channel also holds the NodeHealthCheckFailed alert's own thread (same route); digests are the rest.
const digests = (): string[] =>
  env.slack
    .messages(healthChannel)
    .map((message) => shown(message))
    .filter((text) => text.includes('Health check aegis-healthchecks/gpu-nodes'));

beforeAll(async () => {
  env = await startSlackServe({
    name: 'health-slack',
    botToken,
    signingSecret,
    timeoutMs: 30_000,
    settings: { AEGIS_SLACK_ROUTES: JSON.stringify([{ type: 'NodeHealthCheck.*', channel: healthChannel }]) },
  });
  const clients = env.serve.kubeClients;
  await clients.core.createNamespacedConfigMap({
    namespace: 'aegis-healthchecks',
    body: YAML.parse(await readRepoFile('examples/healthchecks/check-scripts.yaml')) as never,
  });
  await annotateNode('node-3', failing);
  const check = YAML.parse(await readRepoFile('examples/healthchecks/cluster-check.yaml')) as {
    spec: Record<string, unknown>;
  };
  check.spec['schedule'] = '*/2 * * * * *';
  await clients.customObjects.createNamespacedCustomObject({
    ...aegis,
    plural: 'aegisclusterhealthchecks',
    body: check,
  });
}, 60_000);

afterAll(async () => {
  await env?.close();
});

describe('health checks in Slack', () => {
  it('posts a digest of what changed per round in the routed channel, and nothing for rounds without change', async () => {
    await env.waitFor('the digest with the new failure', () =>
      digests().find((text) => text.includes('New failures')),
    );
    expect(digests()[0]).toContain('node-3');
    expect(digests()[0]).toContain('gpu: gpu-count');
    expect(digests()[0]).toContain('6 of 8 GPUs visible');
    await annotateNode('node-3', null);
    await env.waitFor('the digest with the recovery', () =>
      digests().find((text) => text.includes('Recovered')),
    );
    const afterRecovery = (await round()).status?.round ?? 0;
    await env.waitFor(
      'two more rounds',
      async () => ((await round()).status?.round ?? 0) >= afterRecovery + 2 || undefined,
    );
    expect(digests()).toHaveLength(2);
    // The alert raised for node-3 has its thread in the same routed channel, not in the default one.
    expect(
      env.slack.messages(healthChannel).some((message) => shown(message).includes('NodeHealthCheckFailed')),
    ).toBe(true);
    expect(
      env.slack.messages('C0AEGISOPS').some((message) => shown(message).includes('NodeHealthCheckFailed')),
    ).toBe(false);
  });

  it('lists the checks with /aegis checks and checks one node with /aegis check node', async () => {
    const list = await command('checks');
    expect(list).toContain('aegis-healthchecks/gpu-nodes');
    expect(list).toMatch(/last round: 2\/2 nodes checked, 0 with problems, 0 not checked/);
    await annotateNode('node-2', failing);
    const started = await command('check node node-2');
    expect(started).toContain('Checking node `node-2` now');
    const result = await env.waitFor('the result in the channel the command came from', () =>
      env.slack
        .messages('C0SRE')
        .map((message) => shown(message))
        .find((text) => text.includes('checks failed')),
    );
    expect(result).toContain('1 of 1 checks failed');
    expect(result).toContain('GpuCountMismatch: 6 of 8 GPUs visible');
    expect(await command('check node')).toContain('name the node to check');
  });
});
