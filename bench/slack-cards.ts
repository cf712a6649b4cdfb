/**
 * Slack card rendering cost (not a test; issue 17). Renders the root card, its "more details" reply and the
 * approval card for a typical Alertmanager alert, then for alerts that double in size — details from 512 to
 * 16,384 entries, one value from 64 KiB to 4 MiB — and prints each one's median time and the ratio per
 * doubling (about 2 or less: linear or better; 4: quadratic). Baseline measured in the same run: one
 * `JSON.stringify` of the same alert, the floor of anything that reads the whole object (the notifier's own
 * digest of each message costs that much). Writes bench/results/slack-cards.json.
 */
import {
  alertCardFrom,
  renderAlertCard,
  renderApproval,
  renderMoreDetails,
} from '../src/bot/render/index.js';
import type { AegisAlert } from '../src/core/resources/aegis-alert.js';
import { median, writeResults } from './support/stats.js';

const now = Date.parse('2026-11-22T10:05:00Z');
const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

function measure(work: () => unknown): number {
  const times: number[] = [];
  let spent = 0;
  while (times.length < 5 || (spent < 300 && times.length < 100)) {
    const start = performance.now();
    work();
    const elapsed = performance.now() - start;
    times.push(elapsed);
    spent += elapsed;
  }
  return median(times);
}

function alertWith(details: Record<string, string>): AegisAlert {
  return {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisAlert',
    metadata: { name: 'gpuxiderror-7f3a', namespace: 'monitoring', annotations: { cluster: 'gpu-prod' } },
    spec: {
      type: 'GpuXidError',
      status: 'Firing',
      severity: 'critical',
      involvedObject: { kind: 'Node', name: 'gpu-node-7', node: 'gpu-node-7' },
      details,
    },
    status: {
      status: 'Firing',
      count: 3,
      startTime: '2026-11-22T10:00:00Z',
      lastSeen: '2026-11-22T10:04:00Z',
      opsStatus: { triggerStatus: 'AwaitingApproval' },
      approval: {
        state: 'Pending',
        requestedAt: '2026-11-22T10:01:00Z',
        expiresAt: '2026-11-22T11:01:00Z',
        approvers: ['U024BE7LH', 'S0ONCALL'],
        minApprovals: 2,
        rule: { namespace: 'monitoring', name: 'xid-drain' },
        template: { namespace: 'monitoring', name: 'drain' },
        renderedManifest: [
          'apiVersion: argoproj.io/v1alpha1',
          'kind: Workflow',
          'spec:',
          '  entrypoint: main',
          '  templates:',
          '    - name: main',
          '      container:',
          '        image: bitnami/kubectl:latest',
          '        command: [/bin/bash, -c]',
          '        args: ["kubectl cordon gpu-node-7 && kubectl drain gpu-node-7 --ignore-daemonsets"]',
        ].join('\n'),
      },
    },
  };
}

const typical = {
  alertname: 'GpuXidError',
  severity: 'critical',
  node: 'gpu-node-7',
  instance: '10.0.0.17:9400',
  job: 'dcgm-exporter',
  gpu: '3',
  xid: '79',
  summary: 'GPU 3 on gpu-node-7 fell off the bus (Xid 79)',
  description: 'Xid 79: GPU has fallen off the bus. The node needs a drain and a reboot.',
  runbook_url: 'https://runbooks.example.com/xid-79',
  generatorURL: 'http://prometheus:9090/graph?g0.expr=DCGM_FI_DEV_XID_ERRORS',
};

function renderAll(alert: AegisAlert): unknown {
  const card = alertCardFrom(alert, { now });
  return [renderAlertCard(card), renderMoreDetails(card), renderApproval(alert, now)];
}

interface Point {
  readonly size: number;
  readonly renderMs: number;
  readonly baselineMs: number;
}

function series(sizes: readonly number[], build: (size: number) => Record<string, unknown>): {
  points: Point[];
  ratioPerDoubling: number;
} {
  const points = sizes.map((size) => {
    const alert = alertWith(build(size) as Record<string, string>);
    return {
      size,
      renderMs: round(measure(() => renderAll(alert))),
      baselineMs: round(measure(() => JSON.stringify(alert))),
    };
  });
  const ratios = points.slice(1).map((point, index) => point.renderMs / (points[index]?.renderMs ?? 1));
  return { points, ratioPerDoubling: round(median(ratios), 2) };
}

const typicalAlert = alertWith(typical);
const typicalResult = {
  renderMs: round(measure(() => renderAll(typicalAlert)), 4),
  baselineMs: round(measure(() => JSON.stringify(typicalAlert)), 4),
};
const manyDetails = series([512, 1_024, 2_048, 4_096, 8_192, 16_384], (count) => {
  const details: Record<string, string> = { ...typical };
  for (let index = 0; index < count; index += 1) details[`label_${index}`] = `value-${index}`;
  return details;
});
const bigValue = series([65_536, 131_072, 262_144, 524_288, 1_048_576, 2_097_152, 4_194_304], (bytes) => ({
  ...typical,
  description: 'x'.repeat(bytes),
  huge: '<&>'.repeat(Math.ceil(bytes / 3)),
}));

const results = { typical: typicalResult, manyDetails, bigValue };
console.log(JSON.stringify(results, null, 2));
console.log(
  `typical alert: ${typicalResult.renderMs} ms to render 3 messages (JSON.stringify of the alert: ${typicalResult.baselineMs} ms); ` +
    `ratio per doubling: details ${manyDetails.ratioPerDoubling}, value size ${bigValue.ratioPerDoubling}`,
);
console.log(`wrote ${await writeResults('slack-cards', results)}`);
