import type { KnownBlock } from '@slack/types';
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { alertThreadEvents } from '../src/bot/notify/alert-thread-events.js';
import { workflowRunFrom } from '../src/bot/notify/workflow-run.js';
import {
  alertCardFrom,
  renderAlertCard,
  renderMoreDetails,
  renderAlertRoot,
  approvalCardFrom,
  blockViolations,
  renderApproval,
  renderManifestModal,
  slackLimits,
  slackLimitViolations,
  renderStormDigest,
  renderStormGroup,
  renderThreadEvent,
} from '../src/bot/render/index.js';
import type {
  AegisAlert,
  AegisAlertStatus,
  ApprovalHistoryEntry,
} from '../src/core/resources/aegis-alert.js';

const snapshots = '../src/bot/render/__snapshots__';
const now = Date.parse('2026-11-22T10:05:00Z');

/** Golden files are JSON as the repository's prettier writes it, so `npm run format` leaves them alone. */
async function golden(value: unknown): Promise<string> {
  return await format(JSON.stringify(value), { parser: 'json' });
}

/** What the Alertmanager route keeps of an alert: its labels, and the annotations people read. */
const alertmanagerDetails = {
  alertname: 'NodeOutOfDiskSpace',
  severity: 'critical',
  node: 'gpu-node-7',
  instance: '10.0.0.17:9100',
  job: 'node-exporter',
  device: '/dev/nvme0n1p1',
  mountpoint: '/var/lib/containerd',
  fstype: 'xfs',
  xid: '79',
  prometheus: 'monitoring/k8s',
  summary: 'Disk on gpu-node-7 is 99% full',
  description: 'Filesystem /var/lib/containerd on gpu-node-7 has 0.8% space left; pods will be evicted.',
  runbook_url: 'https://runbooks.example.com/disk-full',
  generatorURL: 'http://prometheus.monitoring:9090/graph?g0.expr=node_filesystem_avail_bytes&g0.tab=1',
  team: 'gpu-infra',
  rack: 'r12',
  zone: 'us-east-1a',
  vendor: 'nvidia',
};

function alert(status: AegisAlertStatus = {}, overrides: Partial<AegisAlert['spec']> = {}): AegisAlert {
  return {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisAlert',
    metadata: {
      name: 'nodeoutofdiskspace-7f3a',
      namespace: 'monitoring',
      creationTimestamp: '2026-11-22T10:00:00Z',
      annotations: { cluster: 'gpu-prod', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    },
    spec: {
      type: 'NodeOutOfDiskSpace',
      status: 'Firing',
      severity: 'critical',
      involvedObject: { kind: 'Node', name: 'gpu-node-7', node: 'gpu-node-7' },
      details: alertmanagerDetails,
      ...overrides,
    },
    status: {
      status: 'Firing',
      count: 3,
      startTime: '2026-11-22T10:00:00Z',
      lastSeen: '2026-11-22T10:04:00Z',
      ...status,
    },
  };
}

const approval = {
  state: 'Pending' as const,
  requestedAt: '2026-11-22T10:01:00Z',
  expiresAt: '2026-11-22T11:01:00Z',
  approvers: ['U024BE7LH', 'S0ONCALL', 'bob'],
  minApprovals: 2,
  rule: { namespace: 'monitoring', name: 'disk-full' },
  template: { namespace: 'monitoring', name: 'drop-caches' },
  renderedManifest: [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Workflow',
    'spec:',
    '  entrypoint: main',
    '  templates:',
    '    - name: main',
    '      script:',
    '        command: [sh]',
    '        image: busybox',
    '        source: |',
    '          sync && echo 3 > /proc/sys/vm/drop_caches && echo "done <ok>"',
  ].join('\n'),
};

const decision: ApprovalHistoryEntry = {
  decision: 'Approved',
  by: 'U024BE7LH',
  via: 'slack',
  at: '2026-11-22T10:02:00Z',
  reason: 'disk at 99% & rising',
};

const states: Record<string, AegisAlertStatus> = {
  firing: {},
  'awaiting-approval': { opsStatus: { triggerStatus: 'AwaitingApproval' }, approval },
  running: {
    opsStatus: {
      triggerStatus: 'Triggered',
      alertOpsStatus: 'Running',
      workflowName: 'drop-caches-x1',
      startTime: '2026-11-22T10:02:30Z',
    },
    approval: { ...approval, state: 'Approved', history: [decision] },
  },
  succeeded: {
    opsStatus: {
      triggerStatus: 'Triggered',
      alertOpsStatus: 'Succeeded',
      workflowName: 'drop-caches-x1',
      startTime: '2026-11-22T10:02:30Z',
      completionTime: '2026-11-22T10:04:10Z',
    },
  },
  failed: {
    opsStatus: {
      triggerStatus: 'Triggered',
      alertOpsStatus: 'Failed',
      workflowName: 'drop-caches-x1',
      message: 'step main: exit code 1 <stderr>',
    },
  },
  resolved: {
    status: 'Resolved',
    resolvedAt: '2026-11-22T10:34:30Z',
    opsStatus: {
      triggerStatus: 'Triggered',
      alertOpsStatus: 'Succeeded',
      workflowName: 'drop-caches-x1',
      startTime: '2026-11-22T10:02:30Z',
      completionTime: '2026-11-22T10:04:10Z',
    },
  },
  silenced: {
    conditions: [
      {
        type: 'Silenced',
        status: 'True',
        reason: 'Silenced',
        message: 'silenced by AegisSilence maint-1 until 2026-11-22T12:00:00Z (maintenance)',
        lastTransitionTime: '2026-11-22T10:00:01Z',
      },
    ],
  },
};

describe('alert root rendering', () => {
  for (const [name, status] of Object.entries(states)) {
    it(`renders the ${name} root message`, async () => {
      const rendered = renderAlertRoot(alert(status), { now });
      await expect(await golden(rendered)).toMatchFileSnapshot(`${snapshots}/alert-root-${name}.json`);
    });
  }

  it('colours the message by state', () => {
    const colours = Object.fromEntries(
      Object.entries(states).map(([name, status]) => [
        name,
        renderAlertRoot(alert(status), { now }).attachments?.[0]?.color,
      ]),
    );
    expect(colours).toEqual({
      firing: '#e01e5a',
      'awaiting-approval': '#f2a900',
      running: '#1e88e5',
      succeeded: '#2eb67d',
      failed: '#8b0000',
      resolved: '#9e9e9e',
      silenced: '#bdbdbd',
    });
  });

  it('escapes user text so it cannot mention, link or format', () => {
    const hostile = alert(
      { opsStatus: { message: '<!channel> & <http://evil|click>' } },
      {
        type: 'Disk<!here>&Full',
        involvedObject: { kind: 'Node', name: '<@U123>', node: 'a>b' },
        severity: '<b>',
      },
    );
    const json = JSON.stringify(renderAlertRoot(hostile, { now }));
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<!here>');
    expect(json).not.toContain('<@U123>');
    expect(json).not.toContain('<http://evil');
    expect(json).toContain('Disk&lt;!here&gt;&amp;Full');
    expect(json).toContain('a&gt;b');
  });

  it('shows the matched rule and template given by the caller', () => {
    const json = JSON.stringify(
      renderAlertRoot(alert(states['succeeded']), { now, rule: 'monitoring/r1', template: 'monitoring/t1' }),
    );
    expect(json).toContain('monitoring/r1');
    expect(json).toContain('monitoring/t1');
  });
});

describe('alert card content', () => {
  const firing = alert();
  const card = alertCardFrom(firing, { now });

  it('puts the summary first, ranks the details and leaves out what the card shows anyway', () => {
    expect(card.summary).toBe('Disk on gpu-node-7 is 99% full');
    expect(card.details.map((field) => field.key)).toEqual([
      'description',
      'device',
      'fstype',
      'mountpoint',
      'rack',
      'team',
      'vendor',
      'xid',
      'zone',
      'instance',
      'job',
      'prometheus',
    ]);
    expect(card.links).toEqual([
      { label: 'Runbook', url: 'https://runbooks.example.com/disk-full' },
      {
        label: 'Source',
        url: 'http://prometheus.monitoring:9090/graph?g0.expr=node_filesystem_avail_bytes&g0.tab=1',
      },
    ]);
    expect(card.cluster).toEqual([{ key: 'cluster', value: 'gpu-prod' }]);
  });

  it('shows details as fields, links, the cluster, and puts the rest in one thread reply', async () => {
    const root = renderAlertRoot(firing, { now });
    const json = JSON.stringify(root);
    expect(json).toContain('*xid*\\n79');
    expect(json).toContain('*Cluster*\\ngpu-prod');
    expect(json).toContain('<https://runbooks.example.com/disk-full|Runbook> (runbooks.example.com)');
    expect(json).toContain(
      'g0.expr=node_filesystem_avail_bytes&amp;g0.tab=1|Source> (prometheus.monitoring:9090)',
    );
    expect(json).toContain('4 more details in the thread');
    expect(json).not.toContain('last-applied-configuration');
    const more = renderMoreDetails(card);
    await expect(await golden(more)).toMatchFileSnapshot(`${snapshots}/alert-more-details.json`);
    for (const key of ['zone', 'instance', 'job', 'prometheus'])
      expect(JSON.stringify(more)).toContain(`*${key}*`);
    expect(renderMoreDetails(alertCardFrom(alert({}, { details: { xid: '79' } }), { now }))).toBeUndefined();
  });

  it('says the same in the text fallback as on the card', () => {
    const texts = Object.fromEntries(
      Object.entries(states).map(([name, status]) => [name, renderAlertRoot(alert(status), { now }).text]),
    );
    expect(texts).toEqual({
      firing:
        'Firing (critical): NodeOutOfDiskSpace on Node gpu-node-7 — 3 times — Disk on gpu-node-7 is 99% full — Looking for a matching rule',
      'awaiting-approval':
        'Awaiting approval (critical): NodeOutOfDiskSpace on Node gpu-node-7 — 3 times — Disk on gpu-node-7 is 99% full — Rule monitoring/disk-full matched · awaiting approval (0 of 2) · expires 2026-11-22T11:01:00Z',
      running:
        'Running (critical): NodeOutOfDiskSpace on Node gpu-node-7 — 3 times — Disk on gpu-node-7 is 99% full — Rule monitoring/disk-full matched · Workflow drop-caches-x1 running since 2026-11-22T10:02:30Z',
      succeeded:
        'Succeeded (critical): NodeOutOfDiskSpace on Node gpu-node-7 — 3 times — Disk on gpu-node-7 is 99% full — Workflow drop-caches-x1 succeeded after 1m 40s',
      failed:
        'Failed (critical): NodeOutOfDiskSpace on Node gpu-node-7 — 3 times — Disk on gpu-node-7 is 99% full — Workflow drop-caches-x1 failed: step main: exit code 1 &lt;stderr&gt;',
      resolved:
        'Resolved (critical): NodeOutOfDiskSpace on Node gpu-node-7 — after 34m 30s — Workflow drop-caches-x1 succeeded after 1m 40s',
      silenced:
        'Silenced (critical): NodeOutOfDiskSpace on Node gpu-node-7 — 3 times — Silenced: silenced by AegisSilence maint-1 until 2026-11-22T12:00:00Z (maintenance)',
    });
  });

  it('collapses resolved and silenced alerts to one line with duration and outcome', () => {
    for (const name of ['resolved', 'silenced']) {
      const rendered = renderAlertRoot(alert(states[name]), { now });
      expect(rendered.blocks).toHaveLength(1);
      expect(rendered.attachments?.[0]?.blocks).toHaveLength(1);
      expect(rendered.attachments?.[0]?.blocks?.[0]?.type).toBe('context');
    }
    const resolved = JSON.stringify(renderAlertRoot(alert(states['resolved']), { now }));
    expect(resolved).toContain('after 34m 30s');
    expect(resolved).toContain('succeeded after 1m 40s');
  });

  it('never lets alert data mention, link or fake a link', () => {
    const hostile = alert(
      { opsStatus: { triggerStatus: 'TemplateUnsafe', message: 'value <!everyone> refused' } },
      {
        details: {
          summary: 'ping <!channel> and @here, see <http://evil.example|https://runbooks.example.com>',
          note: '<@U0BOSS> @channel &lt;',
          runbook_url: 'javascript:alert(1)',
          dashboard: 'https://grafana.example.com/d/x|Official runbook>',
          generatorURL: 'https://user:secret@prometheus.example.com/graph',
        },
      },
    );
    const root = renderAlertRoot(hostile, { now });
    const more = renderMoreDetails(alertCardFrom(hostile, { now }));
    const json = JSON.stringify([root, more]);
    expect(json).not.toMatch(/<!(channel|here|everyone)/);
    expect(json).not.toMatch(/@(here|channel)/);
    expect(json).not.toContain('<@U0BOSS>');
    expect(json).not.toContain('<http://evil');
    // Values that are not plain http(s) links stay text among the details, never a link.
    expect(json).not.toMatch(/<javascript:|<https:\/\/user:secret@/);
    expect(json).toContain('*runbook_url*\\njavascript:alert(1)');
    // The URL with a `|` stays one link with our own label; the rest of its text cannot become the label.
    expect(json).toContain(
      '<https://grafana.example.com/d/x%7COfficial%20runbook%3E|Dashboard> (grafana.example.com)',
    );
    expect(json).toContain('&lt;http://evil.example|https://runbooks.example.com&gt;');
  });

  it('stays inside every Block Kit limit with thousands of details and megabyte values', () => {
    const huge = 'x'.repeat(1_048_576);
    const details: Record<string, string> = { summary: `<!channel>${huge}`, description: huge };
    for (let index = 0; index < 5_000; index += 1)
      details[`label_${index}`] = index % 2 === 0 ? huge : `v${index}`;
    const big = alert(
      {
        opsStatus: { triggerStatus: 'Triggered', alertOpsStatus: 'Failed', workflowName: 'w', message: huge },
        approval: {
          ...approval,
          approvers: Array.from({ length: 500 }, (_, index) => `U${String(index).padStart(8, '0')}`),
          renderedManifest: `spec:\n  templates:\n    - name: main\n      container:\n        image: ${huge}\n        args: [${JSON.stringify(huge)}]`,
          history: Array.from({ length: 40 }, () => ({ ...decision, reason: huge })),
        },
      },
      {
        type: `Type${'<&>'.repeat(100_000)}`,
        severity: huge,
        involvedObject: { kind: huge, name: huge, namespace: huge, node: huge },
        details,
      },
    );
    const started = performance.now();
    const card = alertCardFrom(big, { now });
    const messages = [
      renderAlertCard(card),
      renderAlertCard({ ...card, state: 'resolved' }),
      renderMoreDetails(card),
      renderApproval(big, now),
    ];
    const step = {
      name: huge,
      phase: 'Failed',
      message: huge,
      logTail: `${huge}\n`.repeat(3),
      startedAt: huge,
    };
    messages.push(
      ...alertThreadEvents(big, { name: 'w', steps: [{ ...step, id: 'w-1', podName: 'w-p-1' }] }).map(
        (event) => renderThreadEvent(event.event),
      ),
    );
    const modal = renderManifestModal(approvalCardFrom(big, now)!);
    const elapsed = performance.now() - started;
    for (const message of messages) {
      expect(message).toBeDefined();
      if (message !== undefined) expect(slackLimitViolations(message)).toEqual([]);
    }
    expect(modal.blocks.length).toBeLessThanOrEqual(slackLimits.blocksPerModal);
    for (const block of modal.blocks as KnownBlock[]) expect(blockViolations(block)).toEqual([]);
    expect(JSON.stringify(messages)).not.toContain('<!channel>');
    expect(JSON.stringify(messages[2])).toContain('more not shown here');
    // Not a timing test: a generous bound that only a quadratic blow-up would break.
    expect(elapsed).toBeLessThan(20_000);
  });
});

describe('thread events', () => {
  it('derives stable ids from the alert state and renders each event', async () => {
    const finished = alert({
      ...states['succeeded'],
      status: 'Resolved',
      resolvedAt: '2026-11-22T10:04:30Z',
      approval: { ...approval, state: 'Approved', history: [decision] },
    });
    const events = alertThreadEvents(finished);
    expect(events.map((event) => event.id)).toEqual([
      'rule:monitoring/disk-full',
      'approval:2026-11-22T10:02:00Z:Approved:U024BE7LH',
      'started:drop-caches-x1',
      'finished:drop-caches-x1:Succeeded',
      'resolved:2026-11-22T10:04:30Z',
    ]);
    const rendered = [...events, ...alertThreadEvents(alert(states['failed']))].map((event) =>
      renderThreadEvent(event.event),
    );
    await expect(await golden(rendered)).toMatchFileSnapshot(`${snapshots}/thread-events.json`);
    expect(JSON.stringify(rendered)).toContain('after 1m 40s');
  });
});

describe('workflow steps in the thread', () => {
  const workflow = {
    metadata: {
      name: 'drop-caches-x1',
      annotations: { 'aegis.io/rule': 'monitoring/disk-full', 'aegis.io/template': 'monitoring/drop-caches' },
    },
    status: {
      nodes: {
        'drop-caches-x1': { id: 'drop-caches-x1', type: 'Steps', phase: 'Failed' },
        'drop-caches-x1-2': {
          id: 'drop-caches-x1-2',
          displayName: 'drop',
          type: 'Pod',
          templateName: 'drop',
          phase: 'Failed',
          startedAt: '2026-11-22T10:03:00Z',
          finishedAt: '2026-11-22T10:04:05Z',
          message: 'Error (exit code 1)',
        },
        'drop-caches-x1-1': {
          id: 'drop-caches-x1-1',
          displayName: 'sync',
          type: 'Pod',
          templateName: 'sync',
          phase: 'Succeeded',
          startedAt: '2026-11-22T10:02:30Z',
          finishedAt: '2026-11-22T10:02:59Z',
        },
        'drop-caches-x1-3': { id: 'drop-caches-x1-3', displayName: 'report', type: 'Pod', phase: 'Running' },
      },
    },
  };

  it('reads the steps in the order they started, with pod names as Argo names them', () => {
    const run = workflowRunFrom(workflow);
    expect(run?.rule).toBe('monitoring/disk-full');
    expect(run?.steps.map((step) => [step.name, step.phase, step.podName])).toEqual([
      ['report', 'Running', 'drop-caches-x1-3'],
      ['sync', 'Succeeded', 'drop-caches-x1-sync-1'],
      ['drop', 'Failed', 'drop-caches-x1-drop-2'],
    ]);
    const single = workflowRunFrom({
      metadata: { name: 'cordon-x1' },
      status: {
        nodes: {
          'cordon-x1': {
            id: 'cordon-x1',
            displayName: 'cordon-x1',
            type: 'Pod',
            templateName: 'start',
            phase: 'Succeeded',
          },
        },
      },
    });
    expect(single?.steps.map((step) => [step.name, step.podName])).toEqual([['start', 'cordon-x1']]);
    expect(workflowRunFrom({ metadata: {} })).toBeUndefined();
    expect(workflowRunFrom('nonsense')).toBeUndefined();
  });

  it('posts the matched rule first, one line per finished step before the outcome, and the failed log tail', async () => {
    const run = workflowRunFrom(workflow);
    if (run === undefined) throw new Error('no run');
    const failedStep = {
      ...run,
      steps: run.steps.map((step) =>
        step.phase === 'Failed' ? { ...step, logTail: 'dropping\n<!channel> ```oops```\nexit 1\n' } : step,
      ),
    };
    const events = alertThreadEvents(alert(states['failed']), failedStep);
    expect(events.map((event) => event.id)).toEqual([
      'rule:monitoring/disk-full',
      'started:drop-caches-x1',
      'step:drop-caches-x1:drop-caches-x1-1:Succeeded',
      'step:drop-caches-x1:drop-caches-x1-2:Failed',
      'finished:drop-caches-x1:Failed',
    ]);
    const rendered = events.map((event) => renderThreadEvent(event.event));
    await expect(await golden(rendered)).toMatchFileSnapshot(`${snapshots}/thread-steps.json`);
    const failed = JSON.stringify(rendered[3]);
    expect(failed).toContain('after 1m 5s');
    expect(failed).toContain('Error (exit code 1)');
    expect(failed).toContain('&lt;!channel&gt;');
    expect(failed).not.toContain('```oops```');
  });
});

describe('approval rendering', () => {
  const waiting = alert(states['awaiting-approval']);
  const request = (status: AegisAlertStatus = states['awaiting-approval'] ?? {}) =>
    renderApproval(alert(status), now);

  it('shows the script first, who may approve, how many, until when, and the buttons', async () => {
    const rendered = request();
    await expect(await golden(rendered)).toMatchFileSnapshot(`${snapshots}/approval-request.json`);
    const actions = rendered?.blocks.find((block) => block.type === 'actions');
    expect(actions).toMatchObject({
      elements: [
        { action_id: 'aegis_approve', value: 'monitoring/nodeoutofdiskspace-7f3a' },
        { action_id: 'aegis_reject', value: 'monitoring/nodeoutofdiskspace-7f3a' },
      ],
    });
    const json = JSON.stringify(rendered);
    // The script as the container runs it, escaped, before anything else about the manifest.
    expect(json).toContain('sync &amp;&amp; echo 3 &gt; /proc/sys/vm/drop_caches');
    expect(json).not.toContain('apiVersion: argoproj.io');
    expect(json).toContain('<@U024BE7LH>');
    expect(json).toContain('<!subteam^S0ONCALL>');
    expect(json).toContain('0 of 2 in');
    expect(json).toContain('<!date^1795345260^');
    expect(json).toContain('"action_id":"aegis_view_manifest"');
    expect(rendered?.text).toContain('Approval needed: NodeOutOfDiskSpace on Node gpu-node-7');
    expect(rendered?.text).toContain('<!subteam^S0ONCALL>');
  });

  it('counts approvals in while more are needed, and keeps the buttons', () => {
    const partly = request({
      ...states['awaiting-approval'],
      approval: { ...approval, history: [decision] },
    });
    const json = JSON.stringify(partly);
    expect(json).toContain('1 of 2 in');
    expect(json).toContain('*Approved* by <@U024BE7LH> via slack');
    expect(partly?.blocks.some((block) => block.type === 'actions')).toBe(true);
  });

  it('replaces the buttons by who decided, when and why; an expired request says so', async () => {
    const decided = request({
      ...states['running'],
      approval: { ...approval, state: 'Approved', history: [decision, { ...decision, by: 'U0SECOND' }] },
    });
    const rejected = request({
      opsStatus: { triggerStatus: 'Rejected' },
      approval: {
        ...approval,
        state: 'Rejected',
        history: [
          { ...decision, decision: 'Rejected', by: 'alice', via: 'cli', reason: 'not <!channel> now' },
        ],
      },
    });
    const expiredNow = renderApproval(waiting, Date.parse('2026-11-22T11:02:00Z'));
    const expired = request({
      approval: {
        ...approval,
        state: 'Expired',
        history: [{ decision: 'Expired', by: 'aegis', via: 'controller', at: '2026-11-22T11:01:00Z' }],
      },
    });
    await expect(await golden({ decided, rejected, expired })).toMatchFileSnapshot(
      `${snapshots}/approval-decided.json`,
    );
    for (const message of [decided, rejected, expired, expiredNow]) {
      expect(message?.blocks.some((block) => block.type === 'actions')).toBe(false);
    }
    expect(JSON.stringify(rejected)).toContain('not &lt;!channel&gt; now');
    expect(JSON.stringify(expiredNow)).toContain('Approval expired');
    expect(expired?.text).toContain('Approval expired');
  });

  it('shows no buttons when the controller says nothing will run, whatever the status shows', () => {
    const forged = alert({
      opsStatus: {
        triggerStatus: 'TriggerFailed',
        message: 'no suspended Workflow holds an approval request',
      },
      approval,
    });
    expect(renderApproval(forged, now)?.blocks.some((block) => block.type === 'actions')).toBe(false);
    expect(renderApproval(forged, now)?.text).toContain('Approval cancelled');
    const root = renderAlertRoot(forged, { now });
    expect(root.text).toContain('Failed (critical)');
    expect(root.text).toContain('approval cancelled; nothing ran: no suspended Workflow holds an approval request');
  });

  it('cuts a long script under the section limit, and opens the whole manifest in a modal', async () => {
    const script = `${'x'.repeat(2000)}\n${'<&>'.repeat(1000)}\n\`\`\`\nend`;
    const manifest = [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Workflow',
      'spec:',
      '  entrypoint: main',
      '  templates:',
      '    - name: main',
      '      container:',
      '        image: busybox',
      '        command: [sh, -c]',
      `        args: [${JSON.stringify(script)}]`,
    ].join('\n');
    const withManifest = (text: string): AegisAlertStatus => ({
      ...states['awaiting-approval'],
      approval: { ...approval, renderedManifest: text },
    });
    const rendered = request(withManifest(manifest));
    expect(rendered === undefined ? ['none'] : slackLimitViolations(rendered)).toEqual([]);
    for (const block of rendered?.blocks ?? []) {
      if (block.type === 'section' && block.text !== undefined) {
        expect(block.text.text).not.toMatch(/&[a-z]*$/);
        expect(block.text.text.split('```').length % 2).toBe(1);
      }
    }
    const card = approvalCardFrom(alert(withManifest(manifest)), now);
    const modal = card === undefined ? undefined : renderManifestModal(card);
    await expect(await golden(renderManifestModal(approvalCardFrom(waiting, now)!))).toMatchFileSnapshot(
      `${snapshots}/manifest-modal.json`,
    );
    expect(modal?.blocks.length).toBeLessThanOrEqual(slackLimits.blocksPerModal);
    expect(modal?.title.text.length).toBeLessThanOrEqual(slackLimits.modalTitle);
    const blocks = (modal?.blocks ?? []) as KnownBlock[];
    for (const block of blocks) expect(blockViolations(block)).toEqual([]);
    // Every character of the manifest is in the modal, escaped, across its code blocks.
    const shownManifest = blocks
      .slice(1)
      .flatMap((block) => (block.type === 'section' && block.text !== undefined ? [block.text.text] : []))
      .map((text) => text.replace(/^```\n/, '').replace(/\n```$/, ''))
      .join('')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    expect(shownManifest.replace(/\n/g, '')).toBe(
      manifest.replace(/```/g, '`\u200b`\u200b`').replace(/\n/g, ''),
    );
  });
});

describe('storm group rendering', () => {
  const members = Array.from({ length: 3 }, (_, index) => ({
    alert: `monitoring/gpu-xid-${index}`,
    object: `Node gpu-node-${index}`,
    node: `gpu-node-${index}`,
    severity: 'warning',
    state: index === 0 ? ('resolved' as const) : ('firing' as const),
    count: index + 1,
  }));

  it('renders the running summary and a digest page', async () => {
    const root = renderStormGroup({
      type: 'GpuXidError<&>',
      group: 'g-1',
      total: 3,
      byState: { firing: 2, resolved: 1 },
      newest: [...members].reverse(),
      firstAt: '2026-11-22T10:00:00Z',
      lastAt: '2026-11-22T10:00:09Z',
    });
    const digest = renderStormDigest('GpuXidError<&>', 0, members);
    await expect(await golden({ root, digest })).toMatchFileSnapshot(`${snapshots}/storm-group.json`);
    expect(JSON.stringify(root)).toContain('GpuXidError&lt;&amp;&gt;');
    expect(root.attachments?.[0]?.color).toBe('#e01e5a');
  });
});
