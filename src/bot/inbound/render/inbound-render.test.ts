/** Golden JSON of the inbound Block Kit renderings (update with `npx vitest run -u` after a deliberate change). */
import { describe, expect, it } from 'vitest';
import type {
  AegisAlert,
  AegisAlertOpsRule,
  AegisOpsTemplate,
  AegisSilence,
} from '../../../core/resources/index.js';
import { selectAppHome } from '../app-home-data.js';
import { renderAlertDetail, renderAlertList, renderRunRequested } from './alert-replies.js';
import { renderAppHome } from './app-home.js';
import { renderRules, renderTemplates } from './catalog-replies.js';
import { renderConversationHelp, renderHelp, renderUsageError } from './help-reply.js';
import { renderRejectModal } from './reject-modal.js';
import { renderSilenceCreated, renderSilences } from './silence-replies.js';
import { renderStatus } from './status-reply.js';

const now = new Date('2026-03-01T12:00:00Z');

function alert(
  name: string,
  overrides: Partial<AegisAlert['status']> = {},
  spec: Partial<AegisAlert['spec']> = {},
): AegisAlert {
  return {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisAlert',
    metadata: { name, namespace: 'monitoring', labels: { fingerprint: 'abc' } },
    spec: {
      type: 'NodeMemoryPressure',
      status: 'Firing',
      severity: 'critical',
      involvedObject: { kind: 'Node', name: 'gpu-node-1', node: 'gpu-node-1' },
      ...spec,
    },
    status: { status: 'Firing', count: 3, startTime: '2026-03-01T11:40:00Z', ...overrides },
  };
}

const waiting = alert('mem-1', {
  opsStatus: { triggerStatus: 'AwaitingApproval' },
  approval: {
    state: 'Pending',
    requestedAt: '2026-03-01T11:50:00Z',
    expiresAt: '2026-03-01T12:20:00Z',
    template: { namespace: 'monitoring', name: 'drop-caches' },
    approvers: ['U0APPROVER', 'S0ONCALL'],
    minApprovals: 2,
    history: [{ decision: 'Approved', by: 'U0FIRST', via: 'slack', at: '2026-03-01T11:55:00Z' }],
  },
});
const running = alert(
  'disk-2',
  {
    opsStatus: {
      triggerStatus: 'Triggered',
      alertOpsStatus: 'Running',
      workflowName: 'disk-2-wf',
      startTime: '2026-03-01T11:58:00Z',
    },
  },
  { type: 'NodeOutOfDiskSpace', involvedObject: { kind: 'Node', name: 'cpu-node-3' } },
);
const finished = alert(
  'gpu-3',
  {
    status: 'Resolved',
    opsStatus: {
      triggerStatus: 'Triggered',
      alertOpsStatus: 'Succeeded',
      workflowName: 'gpu-3-wf',
      startTime: '2026-03-01T09:00:00Z',
      completionTime: '2026-03-01T09:02:00Z',
    },
  },
  { type: 'GpuXidError', status: 'Resolved' },
);

const golden = (name: string) => `./__golden__/${name}.json`;
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe('inbound renderers (golden JSON)', () => {
  it('help, usage error, conversation help', async () => {
    await expect(json(renderHelp())).toMatchFileSnapshot(golden('help'));
    await expect(json(renderHelp('frobnicate'))).toMatchFileSnapshot(golden('help-unknown'));
    await expect(
      json(
        renderUsageError('"soon" is not a duration', '/aegis silence <type|fingerprint> <duration> [reason]'),
      ),
    ).toMatchFileSnapshot(golden('usage-error'));
    await expect(json(renderConversationHelp())).toMatchFileSnapshot(golden('conversation-help'));
  });

  it('alert list and detail', async () => {
    await expect(json(renderAlertList([waiting, running], {}, now))).toMatchFileSnapshot(
      golden('alert-list'),
    );
    await expect(json(renderAlertList([], { type: 'X', node: 'n1' }, now))).toMatchFileSnapshot(
      golden('alert-list-empty'),
    );
    await expect(json(renderAlertDetail(waiting, now))).toMatchFileSnapshot(golden('alert-detail'));
    await expect(
      json(
        renderRunRequested({ namespace: 'monitoring', name: 'opsrequest-drop-caches-x1' }, 'drop-caches', {
          node: 'gpu-node-1',
        }),
      ),
    ).toMatchFileSnapshot(golden('run-requested'));
  });

  it('rules and templates', async () => {
    const rule: AegisAlertOpsRule = {
      apiVersion: 'aegis.io/v1alpha1',
      kind: 'AegisAlertOpsRule',
      metadata: { name: 'memory-pressure' },
      spec: {
        alertConditions: [{ type: 'NodeMemoryPressure', status: 'Firing' }],
        opsTemplate: { name: 'drop-caches' },
        approval: { required: true, minApprovals: 1, timeout: '30m', allowSelfApproval: false },
      },
    };
    const template: AegisOpsTemplate = {
      apiVersion: 'aegis.io/v1alpha1',
      kind: 'AegisOpsTemplate',
      metadata: { name: 'drop-caches' },
      spec: { manifest: 'kind: Workflow\nargs: ["{{.node}}", "{{ .level }}"]' },
      status: { status: 'Recorded', executeStatus: { succeeded: 4, failed: 1 } },
    };
    await expect(json(renderRules([rule]))).toMatchFileSnapshot(golden('rules'));
    await expect(json(renderTemplates([template]))).toMatchFileSnapshot(golden('templates'));
  });

  it('silences', async () => {
    const silence: AegisSilence = {
      apiVersion: 'aegis.io/v1alpha1',
      kind: 'AegisSilence',
      metadata: { name: 'silence-x7k2p' },
      spec: {
        matcher: { type: 'NodeMemoryPressure' },
        until: '2026-03-01T14:00:00Z',
        reason: 'maintenance',
        createdBy: 'U0APPROVER',
      },
    };
    const expired = {
      ...silence,
      metadata: { name: 'silence-old' },
      spec: { ...silence.spec, until: '2026-03-01T11:00:00Z' },
    };
    await expect(json(renderSilenceCreated(silence, now))).toMatchFileSnapshot(golden('silence-created'));
    await expect(json(renderSilences([silence, expired], now))).toMatchFileSnapshot(golden('silences'));
  });

  it('status', async () => {
    const report = {
      queues: [
        { name: 'ingest', depth: 3 },
        { name: 'slack-posts', depth: 0 },
      ],
      apiServer: { ok: true, detail: 'v1.31.0' },
      redis: { ok: false, detail: 'connection refused' },
    };
    await expect(json(renderStatus(report))).toMatchFileSnapshot(golden('status'));
  });

  it('App Home and the reject modal', async () => {
    const home = renderAppHome(selectAppHome([waiting, running, finished], 'U0ONCALL', ['S0ONCALL'], now));
    await expect(json(home)).toMatchFileSnapshot(golden('app-home'));
    expect(JSON.stringify(home)).toContain('approval:monitoring/mem-1');
    const empty = renderAppHome(selectAppHome([], 'U0X', [], now));
    await expect(json(empty)).toMatchFileSnapshot(golden('app-home-empty'));
    await expect(
      json(
        renderRejectModal({
          alert: { namespace: 'monitoring', name: 'mem-1' },
          channel: 'C0ALERTS',
          threadTs: '1700000000.000100',
        }),
      ),
    ).toMatchFileSnapshot(golden('reject-modal'));
  });
});

describe('selectAppHome', () => {
  it('shows a viewer only the approvals they may still decide', () => {
    const waitingFor = (user: string, groups: string[] = []) =>
      selectAppHome([waiting], user, groups, now).waiting.map((item) => item.metadata.name);
    expect(waitingFor('U0APPROVER')).toEqual(['mem-1']);
    expect(waitingFor('U0ONCALL', ['S0ONCALL'])).toEqual(['mem-1']);
    expect(waitingFor('U0OTHER')).toEqual([]);
    expect(waitingFor('U0FIRST')).toEqual([]);
  });
});
