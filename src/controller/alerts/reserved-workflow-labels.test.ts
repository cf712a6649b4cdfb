import { describe, expect, it } from 'vitest';
import { aegisAlertLabels, type Alert } from '../../core/alerts/index.js';
import { buildAlertWorkflow } from './alert-workflow.js';

/** Details a sender can put in a custom alert to stop or steal the run if they became Workflow labels. */
const hostileDetails = {
  node: 'dev1',
  'workflows.argoproj.io/controller-instanceid': 'elsewhere',
  'workflows.argoproj.io/completed': 'true',
  'kubernetes.io/hostname': 'dev9',
  'app.kubernetes.io/managed-by': 'nobody',
  'aegis.io/alert': 'other',
};

const alert: Alert = {
  source: 'Default',
  type: 'NodeHasEmergencyEvent',
  status: 'Firing',
  involvedObject: { kind: 'Node', name: 'dev1' },
  details: hostileDetails,
  fingerprint: '5f972974ccf1ee9b',
};

describe('reserved labels are never taken from alert data', () => {
  it('keeps reserved detail keys out of the AegisAlert labels (they stay in spec.details)', () => {
    const labels = aegisAlertLabels(alert);
    expect(labels['node']).toBe('dev1');
    for (const key of Object.keys(hostileDetails).filter((key) => key.includes('/')))
      expect(labels, key).not.toHaveProperty(key);
  });

  it('keeps them off the Workflow even when an older alert already carries them', () => {
    const manifest = {
      metadata: { labels: { 'workflows.argoproj.io/controller-instanceid': 'aegis-sop', team: 'sre' } },
      spec: { entrypoint: 'start' },
    };
    const workflow = buildAlertWorkflow(
      manifest,
      { name: 'a1', namespace: 'monitoring', uid: 'u1', labels: { ...hostileDetails, 'alert-type': 'X' } },
      { digest: 'd' },
    );
    expect(workflow.metadata?.labels).toEqual({
      // the template author's own labels are kept, reserved or not: they are not alert data
      'workflows.argoproj.io/controller-instanceid': 'aegis-sop',
      team: 'sre',
      node: 'dev1',
      'alert-type': 'X',
    });
  });
});
