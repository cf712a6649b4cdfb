/**
 * The Slack issue's "Done when", end to end: `aegis serve` on the sandbox with Slack pointed at the fake Slack
 * Web API (SLACK_API_URL), exactly as a user would configure it. The README's example alert produces a root
 * message that ends at Succeeded; with an approval-required rule, the approval request (with the rendered
 * script and Approve / Reject buttons) appears in the thread, a non-approver's click runs nothing and is told
 * why, and an approver's click runs the Workflow and the root message ends at Succeeded.
 *
 * Both scenarios share one serve: first the cordon example as written, then the same rule with
 * `spec.approval` added and the README alert posted again under a new fingerprint (the first alert is still
 * open, so its own fingerprint would only count a repeat).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { buttonsOf, shown } from './support/fake-slack-messages.js';
import {
  exampleNamespace,
  opsChannel,
  readRepoFile,
  startSlackServe,
  type SlackServeEnvironment,
} from './support/slack-serve-environment.js';

const approver = 'U0APPROVER';
const outsider = 'U0OUTSIDER';
const groupMember = 'U0GROUPMEMBER';
const approverGroup = 'S0ONCALLGROUP';
const memberToken = 'member-token-e2e';
const aegis = { group: 'aegis.io', version: 'v1alpha1', namespace: exampleNamespace } as const;

let env: SlackServeEnvironment;

beforeAll(async () => {
  env = await startSlackServe({
    name: 'aegis-slack-e2e-',
    botToken: 'xoxb-e2e-token',
    signingSecret: 'e2e-signing-secret',
    timeoutMs: 90_000,
    // One API token, bound to a member of an approver user group.
    settings: { AEGIS_API_TOKEN: `${groupMember}:${memberToken}` },
  });
  env.slack.setGroupMembers(approverGroup, [groupMember]);
  await env.applyCordonExample();
}, 180_000);

afterAll(async () => {
  await env?.close();
});

describe('Slack end to end (the issue\'s "Done when")', () => {
  it('the README example alert produces a root message that ends at Succeeded', async () => {
    const fingerprint = await env.postExampleAlert();
    const { ts: rootTs } = await env.rootMessageOf(fingerprint);
    const first = env.root(rootTs);
    expect(shown(first)).toContain('NodeHasEmergencyEvent');
    expect(shown(first)).toContain('dev1');
    const alert = await env.waitFor('the alert to succeed', async () => {
      const current = await env.alertWithFingerprint(fingerprint);
      return current?.status?.opsStatus?.alertOpsStatus === 'Succeeded' ? current : undefined;
    });
    expect(alert.status?.approval).toBeUndefined();
    const last = await env.waitFor('the root message to show Succeeded', () => {
      const current = env.root(rootTs);
      return current !== undefined && shown(current).includes(':large_green_circle: *Succeeded*')
        ? current
        : undefined;
    });
    expect(last.updates).toBeGreaterThan(0);
    // One root message for the alert, edited in place; no approval request in its thread.
    expect(env.slack.messages(opsChannel).map((message) => message.ts)).toEqual([rootTs]);
    expect(last.replies.some((reply) => buttonsOf(reply) !== undefined)).toBe(false);
  }, 180_000);

  it('with an approval-required rule: a non-approver is refused, an approver runs the Workflow', async () => {
    // The example rule, with `spec.approval` added.
    const rule = YAML.parse(await readRepoFile('examples/cordon-on-emergency/rule.yaml')) as {
      metadata: { name: string };
    };
    const patched = (await env.serve.kubeClients.customObjects.patchNamespacedCustomObject({
      ...aegis,
      plural: 'aegisalertopsrules',
      name: rule.metadata.name,
      // client-node sends a JSON patch.
      body: [{ op: 'add', path: '/spec/approval', value: { required: true, approvers: [approver] } }],
    })) as { metadata: { generation: number } };
    await env.waitFor('the rule controller to see the approval block', async () => {
      const current = (await env.serve.kubeClients.customObjects.getNamespacedCustomObject({
        ...aegis,
        plural: 'aegisalertopsrules',
        name: rule.metadata.name,
      })) as { status?: { observedGeneration?: number } };
      return (current.status?.observedGeneration ?? 0) >= patched.metadata.generation ? true : undefined;
    });

    const fingerprint = await env.postExampleAlert('e2e-approval-0001');
    const { ts: rootTs } = await env.rootMessageOf(fingerprint);

    // The approval request in the thread: what will run, and the buttons.
    const request = await env.approvalRequestIn(rootTs);
    expect(shown(request)).toContain('kubectl cordon dev1');
    expect(buttonsOf(request)?.buttons.map((button) => button.text.text)).toEqual(['Approve', 'Reject']);
    // Who may approve, how many, and the command first; the whole manifest one click away.
    expect(shown(request)).toContain(`*Who may approve*\\n<@${approver}>`);
    expect(shown(request)).toContain('*Approvals*\\n0 of 1 in');
    expect(shown(request)).toContain('$ /bin/bash -c\\nkubectl cordon dev1');
    expect(await env.click(outsider, request, 'aegis_view_manifest')).toBe(200);
    const opened = await env.waitFor('the manifest modal', () =>
      env.slack.callsOf('views.open').find((call) => call.params['trigger_id'] === `trigger-${outsider}`),
    );
    const modal = JSON.stringify(opened.params['view']);
    expect(modal).toContain('apiVersion: argoproj.io/v1alpha1');
    expect(modal).toContain('serviceAccountName: aegis-workflow');
    expect(modal).toContain('kubectl cordon dev1');
    const alert = await env.alertWithFingerprint(fingerprint);
    expect(alert?.status?.opsStatus?.triggerStatus).toBe('AwaitingApproval');
    const workflowsBefore = await env.workflowNames();

    // A non-approver: nothing runs, and they are told why, only to them.
    expect(await env.click(outsider, request, 'aegis_approve')).toBe(200);
    const refusal = await env.waitFor('the ephemeral refusal', () =>
      env.slack.callsOf('chat.postEphemeral').find((call) => call.params['user'] === outsider),
    );
    expect(refusal.params['channel']).toBe(opsChannel);
    expect(String(refusal.params['text'])).toContain(
      `${outsider} may not approve this run: only ${approver} may`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const refused = await env.alertWithFingerprint(fingerprint);
    expect(refused?.status?.approval?.state).toBe('Pending');
    expect(refused?.status?.opsStatus?.triggerStatus).toBe('AwaitingApproval');
    expect(await env.workflowNames()).toEqual(workflowsBefore);

    // The approver: the Workflow is created and runs; the root message ends at Succeeded.
    expect(await env.click(approver, request, 'aegis_approve')).toBe(200);
    await env.succeededAfterApproval(fingerprint, approver);
    await env.waitFor('the root message to show Succeeded', () => {
      const current = env.root(rootTs);
      return current !== undefined && shown(current).includes(':large_green_circle: *Succeeded*')
        ? true
        : undefined;
    });
    // The request lost its buttons and says who decided.
    await env.waitForDecision([request.ts], approver);
  }, 240_000);

  it('an Alertmanager alert shows its summary, its own details and the link to the graph that fired', async () => {
    const payload = JSON.parse(await readRepoFile('examples/alerts/alertmanager-firing.json')) as {
      alerts: { fingerprint: string; annotations: Record<string, string> }[];
    };
    const sent = payload.alerts[0];
    if (sent === undefined) throw new Error('the example has no alert');
    sent.fingerprint = 'e2e-card-0001';
    sent.annotations['runbook_url'] = 'https://runbooks.example.com/node-filesystem';
    const response = await fetch(`${env.serve.httpUrl}/alertmanager/alert`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(payload),
    });
    expect(response.status).toBe(202);
    const { ts } = await env.rootMessageOf(sent.fingerprint);
    const card = shown(env.root(ts));
    expect(card).toContain('Filesystem has less than 5% space left.');
    expect(card).toContain('*mountpoint*\\n/');
    expect(card).toContain('*device*\\n/dev/nvme0n1p1');
    expect(card).toContain('<https://runbooks.example.com/node-filesystem|Runbook> (runbooks.example.com)');
    expect(card).toContain(
      '<http://prometheus.monitoring:9090/graph?g0.expr=node_filesystem_avail_bytes|Source> (prometheus.monitoring:9090)',
    );
    expect(card).toContain('*First seen*');
  }, 120_000);

  it("a failed workflow's thread has one line per step, the failed step's message and log tail", async () => {
    const manifest = [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Workflow',
      'metadata:',
      '  annotations:',
      '    sandbox.aegis.io/outcome: Failed',
      '    sandbox.aegis.io/duration: 400ms',
      '    "sandbox.aegis.io/log.drain": "evicting pods on dev1\\nerror: cannot evict pod ml/trainer-0: PodDisruptionBudget\\n"',
      'spec:',
      '  serviceAccountName: aegis-workflow',
      '  entrypoint: main',
      '  templates:',
      '    - name: main',
      '      steps:',
      '        - - name: cordon',
      '            template: cordon',
      '        - - name: drain',
      '            template: drain',
      '    - name: cordon',
      '      container:',
      '        image: bitnami/kubectl:latest',
      '        command: [kubectl, cordon, "{{.node}}"]',
      '    - name: drain',
      '      container:',
      '        image: bitnami/kubectl:latest',
      '        command: [kubectl, drain, "{{.node}}", --ignore-daemonsets]',
    ].join('\n');
    const metadata = { name: 'drain-on-xid', namespace: exampleNamespace };
    await env.serve.kubeClients.customObjects.createNamespacedCustomObject({
      ...aegis,
      plural: 'aegisopstemplates',
      body: { apiVersion: 'aegis.io/v1alpha1', kind: 'AegisOpsTemplate', metadata, spec: { manifest } },
    });
    await env.serve.kubeClients.customObjects.createNamespacedCustomObject({
      ...aegis,
      plural: 'aegisalertopsrules',
      body: {
        apiVersion: 'aegis.io/v1alpha1',
        kind: 'AegisAlertOpsRule',
        metadata,
        spec: {
          alertConditions: [{ type: 'GpuXidError', status: 'Firing' }],
          opsTemplate: { kind: 'AegisOpsTemplate', apiVersion: 'aegis.io/v1alpha1', ...metadata },
        },
      },
    });
    const fingerprint = 'e2e-steps-0001';
    const post = async (): Promise<number> =>
      (
        await fetch(`${env.serve.httpUrl}/default/alert`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            type: 'GpuXidError',
            status: 'Firing',
            involvedObject: { kind: 'Node', name: 'dev1' },
            details: { node: 'dev1', xid: '79', severity: 'critical' },
            fingerprint,
          }),
        })
      ).status;
    // The rule may take a moment to be seen by the controller's cache: post until a workflow runs.
    expect(await post()).toBe(202);
    const { ts } = await env.rootMessageOf(fingerprint);
    const texts = await env.waitFor('the failed step, then the failed workflow in the thread', () => {
      const replies = env.replies(ts).map((reply) => reply.text ?? '');
      return replies.some((text) => text.includes('Workflow') && text.includes('failed'))
        ? replies
        : undefined;
    });
    expect(texts[0]).toContain(':dart: Matched rule `monitoring/drain-on-xid`');
    const cordon = texts.findIndex((text) => text.includes('Step `cordon` succeeded'));
    const drain = texts.findIndex((text) => text.includes('Step `drain` failed'));
    const finished = texts.findIndex((text) => text.startsWith(':x: Workflow'));
    expect(cordon).toBeGreaterThan(0);
    expect(drain).toBeGreaterThan(cordon);
    expect(finished).toBeGreaterThan(drain);
    expect(texts[drain]).toContain('> Error (exit code 1)');
    expect(texts[drain]).toContain('error: cannot evict pod ml/trainer-0: PodDisruptionBudget');
    const root = shown(env.root(ts));
    expect(root).toContain(':x: *Failed*');
    expect(root).toContain('*xid*\\n79');
  }, 120_000);

  it('an API decision qualifies through a user group that the server resolves with Slack, never the request', async () => {
    const rule = YAML.parse(await readRepoFile('examples/cordon-on-emergency/rule.yaml')) as {
      metadata: { name: string };
    };
    const patched = (await env.serve.kubeClients.customObjects.patchNamespacedCustomObject({
      ...aegis,
      plural: 'aegisalertopsrules',
      name: rule.metadata.name,
      body: [{ op: 'add', path: '/spec/approval', value: { required: true, approvers: [approverGroup] } }],
    })) as { metadata: { generation: number } };
    await env.waitFor('the rule controller to see the group approvers', async () => {
      const current = (await env.serve.kubeClients.customObjects.getNamespacedCustomObject({
        ...aegis,
        plural: 'aegisalertopsrules',
        name: rule.metadata.name,
      })) as { status?: { observedGeneration?: number } };
      return (current.status?.observedGeneration ?? 0) >= patched.metadata.generation ? true : undefined;
    });
    const fingerprint = await env.postExampleAlert('e2e-api-group-0001');
    const waiting = await env.waitFor('the alert to wait for approval', async () => {
      const alert = await env.alertWithFingerprint(fingerprint);
      return alert?.status?.opsStatus?.triggerStatus === 'AwaitingApproval' ? alert : undefined;
    });
    const decide = async (body: object) =>
      await fetch(
        `${env.serve.httpUrl}/api/v1/alerts/${waiting.metadata.namespace}/${waiting.metadata.name}/approve`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${memberToken}` },
          body: JSON.stringify(body),
        },
      );
    // Claiming the group in the request is refused outright.
    const claimed = await decide({ groups: [approverGroup] });
    expect(claimed.status).toBe(400);
    // The token's identity is a member of the approver group, as Slack says: approved, and the group recorded.
    const approved = await decide({ reason: 'on call' });
    expect(approved.status, await approved.clone().text()).toBe(200);
    expect(await approved.json()).toMatchObject({
      state: 'Approved',
      history: [{ by: groupMember, group: approverGroup, credential: `token:${groupMember}`, via: 'api' }],
    });
    await env.waitFor('the run to succeed', async () => {
      const alert = await env.alertWithFingerprint(fingerprint);
      return alert?.status?.opsStatus?.alertOpsStatus === 'Succeeded' ? alert : undefined;
    });
  }, 120_000);
});
