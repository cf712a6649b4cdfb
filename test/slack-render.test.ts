import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { alertThreadEvents } from '../src/bot/notify/alert-thread-events.js';
import {
  renderAlertRoot,
  renderApprovalDecided,
  renderApprovalRequest,
  renderExpired,
  renderStormDigest,
  renderStormGroup,
  renderThreadEvent,
  sectionTextLimit,
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

function alert(status: AegisAlertStatus = {}, overrides: Partial<AegisAlert['spec']> = {}): AegisAlert {
  return {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisAlert',
    metadata: {
      name: 'nodeoutofdiskspace-7f3a',
      namespace: 'monitoring',
      creationTimestamp: '2026-11-22T10:00:00Z',
    },
    spec: {
      type: 'NodeOutOfDiskSpace',
      status: 'Firing',
      severity: 'critical',
      involvedObject: { kind: 'Node', name: 'gpu-node-7', node: 'gpu-node-7' },
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
  rule: { namespace: 'monitoring', name: 'disk-full' },
  template: { namespace: 'monitoring', name: 'drop-caches' },
  renderedManifest: [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Workflow',
    'spec:',
    '  templates:',
    '    - name: main',
    '      script:',
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
  resolved: { status: 'Resolved', resolvedAt: '2026-11-22T10:04:30Z' },
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
      renderAlertRoot(alert(), { now, rule: 'monitoring/r1', template: 'monitoring/t1' }),
    );
    expect(json).toContain('monitoring/r1');
    expect(json).toContain('monitoring/t1');
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

describe('approval rendering', () => {
  const waiting = alert(states['awaiting-approval']);

  it('shows what will run with Approve and Reject buttons', async () => {
    const rendered = renderApprovalRequest(waiting);
    await expect(await golden(rendered)).toMatchFileSnapshot(`${snapshots}/approval-request.json`);
    const actions = rendered.blocks.find((block) => block.type === 'actions');
    expect(actions).toMatchObject({
      elements: [
        { action_id: 'aegis_approve', value: 'monitoring/nodeoutofdiskspace-7f3a' },
        { action_id: 'aegis_reject', value: 'monitoring/nodeoutofdiskspace-7f3a' },
      ],
    });
    expect(JSON.stringify(rendered)).toContain('echo 3 &gt; /proc/sys/vm/drop_caches');
  });

  it('cuts a long manifest under the section limit, with a note', () => {
    const manifest = `${'x'.repeat(2000)}\n${'<&>'.repeat(1000)}\n\`\`\`\nend`;
    const rendered = renderApprovalRequest(
      alert({ ...states['awaiting-approval'], approval: { ...approval, renderedManifest: manifest } }),
    );
    for (const block of rendered.blocks) {
      if (block.type === 'section' && block.text !== undefined) {
        expect(block.text.text.length).toBeLessThanOrEqual(sectionTextLimit);
        expect(block.text.text).not.toMatch(/&[a-z]*$/);
      }
    }
    expect(JSON.stringify(rendered)).toContain('Cut to fit Slack');
  });

  it('renders decided and expired requests without buttons', async () => {
    const decided = renderApprovalDecided(waiting, decision);
    const rejected = renderApprovalDecided(waiting, {
      ...decision,
      decision: 'Rejected',
      by: 'alice',
      via: 'cli',
    });
    const expired = renderExpired(waiting);
    await expect(await golden({ decided, rejected, expired })).toMatchFileSnapshot(
      `${snapshots}/approval-decided.json`,
    );
    for (const message of [decided, rejected, expired]) {
      expect(message.blocks.some((block) => block.type === 'actions')).toBe(false);
    }
    expect(JSON.stringify(decided)).toContain('<@U024BE7LH>');
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
