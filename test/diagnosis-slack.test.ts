/**
 * `/aegis diagnose` end to end with `aegis serve` on the sandbox and the fake Slack Web API, through signed
 * slash commands: the command answers at once that the diagnosis started, and the rendered summary follows in
 * the channel the command was typed in; mistakes get a usage answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shown } from './support/fake-slack-messages.js';
import { startSlackServe, type SlackServeEnvironment } from './support/slack-serve-environment.js';
import { postSigned, slashCommandBody } from './support/slack-signing.js';

const botToken = 'xoxb-diagnose';
const signingSecret = 'diagnose-signing-secret';
let env: SlackServeEnvironment;

async function command(text: string, channel: string): Promise<string> {
  const sent = await postSigned(
    `${env.serve.httpUrl}/slack/commands`,
    slashCommandBody({ text, user: 'U0SRE', channel }),
    'application/x-www-form-urlencoded',
    { secret: signingSecret },
  );
  expect(sent.status).toBe(200);
  return sent.text;
}

async function diagnosisCount(): Promise<number> {
  const list = (await env.serve.kubeClients.customObjects.listNamespacedCustomObject({
    group: 'aegis.io',
    version: 'v1alpha1',
    namespace: 'monitoring',
    plural: 'aegisdiagnosises',
  })) as { items: unknown[] };
  return list.items.length;
}

const shownIn = (channel: string): string[] => env.slack.messages(channel).map((message) => shown(message));

beforeAll(async () => {
  env = await startSlackServe({
    name: 'diagnose-slack',
    botToken,
    signingSecret,
    timeoutMs: 30_000,
    settings: { AEGIS_HEALTHCHECKS: 'false' },
  });
  await env.serve.kubeClients.core.createNamespace({ body: { metadata: { name: 'team-a' } } });
  const core = env.serve.kubeClients.core;
  const pod = {
    metadata: {
      name: 'trainer-0',
      annotations: {
        'sandbox.aegis.io/frozen': 'true',
        'sandbox.aegis.io/previous-log.main': 'loading config\nERROR: /etc/trainer.yaml: no such file\n',
      },
    },
    spec: { nodeName: 'node-1', containers: [{ name: 'main', image: 'trainer:1.0' }] },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [
        {
          name: 'main',
          image: 'trainer:1.0',
          imageID: '',
          ready: false,
          restartCount: 6,
          containerID: 'containerd://abc',
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } },
          lastState: { terminated: { reason: 'Error', exitCode: 3 } },
        },
      ],
    },
  };
  await core.createNamespacedPod({ namespace: 'team-a', body: pod });
  // The API server ignores status on create; set it as a kubelet would.
  const created = await core.readNamespacedPod({ namespace: 'team-a', name: 'trainer-0' });
  await core.replaceNamespacedPodStatus({
    namespace: 'team-a',
    name: 'trainer-0',
    body: { ...created, status: pod.status },
  });
}, 60_000);

afterAll(async () => {
  await env?.close();
});

describe('/aegis diagnose', () => {
  it('starts a diagnosis of a pod and posts its summary in the channel it was asked in', async () => {
    const started = await command('diagnose pod trainer-0 -n team-a', 'C0TEAMA');
    expect(started).toContain('Diagnosing `pod team-a/trainer-0`');
    expect(started).toMatch(/diag-pod-trainer-0-/);
    const summary = await env.waitFor('the summary in the channel the command came from', () =>
      shownIn('C0TEAMA').find((text) => text.includes('Diagnosis of Pod team-a/trainer-0')),
    );
    expect(summary).toContain('UnHealthy');
    expect(summary).toContain('keeps crashing (CrashLoopBackOff, 6 restarts)');
    expect(summary).toContain('kubectl get adiag diag-pod-trainer-0-');
    // Nothing went to the default alert channel.
    expect(shownIn('C0AEGISOPS').some((text) => text.includes('Diagnosis of'))).toBe(false);
  });

  it('diagnoses a healthy node, and a missing pod ends as a summary that says so', async () => {
    expect(await command('diagnose node node-1', 'C0NODES')).toContain('Diagnosing `node node-1`');
    const node = await env.waitFor('the node summary', () =>
      shownIn('C0NODES').find((text) => text.includes('Diagnosis of Node node-1')),
    );
    expect(node).toContain('Healthy');
    expect(node).not.toContain('UnHealthy');
    await command('diagnose pod team-a/nope', 'C0MISSING');
    const missing = await env.waitFor('the missing pod summary', () =>
      shownIn('C0MISSING').find((text) => text.includes('Diagnosis of Pod team-a/nope')),
    );
    expect(missing).toMatch(/not found|diagnosis failed|Unknown/i);
  });

  it('answers mistakes with the usage line and creates nothing', async () => {
    const before = await diagnosisCount();
    expect(await command('diagnose deployment web', 'C0SRE')).toContain(
      'name what to diagnose: node, pod, pytorchjob or workflow (not \\"deployment\\")',
    );
    expect(await command('diagnose pod', 'C0SRE')).toContain('name the pod to diagnose');
    expect(await command('diagnose node node-1 -n team-a', 'C0SRE')).toContain('a node has no namespace');
    expect(await command('diagnose pod a/b -n c', 'C0SRE')).toContain('two namespaces given: a and c');
    expect(await command('diagnose pod Bad_Name', 'C0SRE')).toContain('Bad_Name\\" is not a pod name');
    expect(await command('diagnose pod x -n', 'C0SRE')).toContain(
      '/aegis diagnose node|pod|pytorchjob|workflow',
    );
    expect(await diagnosisCount()).toBe(before);
  });
});
