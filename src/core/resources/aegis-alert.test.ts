import { describe, expect, it } from 'vitest';
import { aegisAlertSchema, aegisAlertSpecSchema, alertDetails } from './aegis-alert.js';
import { aegisAlertOpsRuleSpecSchema } from './aegis-alert-ops-rule.js';

describe('alertDetails', () => {
  it('prefers details, falls back to the upstream spelling, and is empty when neither is set', () => {
    expect(alertDetails({ details: { node: 'a' }, detials: { node: 'b' } })).toEqual({ node: 'a' });
    expect(alertDetails({ detials: { node: 'b' } })).toEqual({ node: 'b' });
    expect(alertDetails({})).toEqual({});
  });
});

describe('AegisAlert schema', () => {
  it('reads an alert written by upstream Aegis (detials, TooManyRuletFound, condition without reason)', () => {
    const alert = aegisAlertSchema.parse({
      apiVersion: 'aegis.io/v1alpha1',
      kind: 'AegisAlert',
      metadata: { name: 'default-nodecriticalissuedisappeared-x2k9d', namespace: 'monitoring' },
      spec: {
        source: 'Default',
        type: 'NodeCriticalIssueDisappeared',
        status: 'Firing',
        involvedObject: { kind: 'Node', name: 'gpu-node-1', node: 'gpu-node-1' },
        detials: { node: 'gpu-node-1' },
      },
      status: {
        status: 'Firing',
        count: 3,
        startTime: '2025-06-01T08:00:00Z',
        opsStatus: { triggerStatus: 'TooManyRuletFound' },
        conditions: [
          {
            type: 'FailedCreateWorkflow',
            status: 'True',
            lastProbeTime: '2025-06-01T08:00:01Z',
            lastTransitionTime: '2025-06-01T08:00:01Z',
          },
        ],
      },
    });
    expect(alertDetails(alert.spec)).toEqual({ node: 'gpu-node-1' });
    expect(alert.status?.opsStatus?.triggerStatus).toBe('TooManyRuletFound');
  });

  it('rejects the upstream Resovled typo and an unknown status', () => {
    expect(aegisAlertSpecSchema.safeParse({ type: 'X', status: 'Resovled' }).success).toBe(false);
    expect(aegisAlertSpecSchema.safeParse({ type: 'X', status: 'Firing' }).success).toBe(true);
  });
});

describe('AegisAlertOpsRule approval', () => {
  it('defaults to required, one approval, no self-approval', () => {
    const spec = aegisAlertOpsRuleSpecSchema.parse({
      alertConditions: [{ type: 'NodeNotReady', status: 'Firing' }],
      opsTemplate: { name: 'cordon' },
      approval: { approvers: ['U123', 'S456'], timeout: '30m' },
    });
    expect(spec.approval).toEqual({
      required: true,
      approvers: ['U123', 'S456'],
      minApprovals: 1,
      timeout: '30m',
      allowSelfApproval: false,
    });
  });

  it('defaults the timeout to 30m', () => {
    const spec = aegisAlertOpsRuleSpecSchema.parse({
      alertConditions: [{ type: 'NodeNotReady', status: 'Firing' }],
      opsTemplate: { name: 'cordon' },
      approval: {},
    });
    expect(spec.approval?.timeout).toBe('30m');
  });

  it('rejects a timeout that is not a duration', () => {
    const parsed = aegisAlertOpsRuleSpecSchema.safeParse({
      alertConditions: [{ type: 'NodeNotReady', status: 'Firing' }],
      opsTemplate: { name: 'cordon' },
      approval: { timeout: 'half an hour' },
    });
    expect(parsed.success).toBe(false);
  });
});

describe('AegisAlert ops request', () => {
  it('reads an ops request and requires who asked and which template', () => {
    const spec = {
      source: 'OpsRequest',
      type: 'OpsRequest',
      status: 'Firing',
      opsRequest: {
        template: { namespace: 'monitoring', name: 'cordon' },
        parameters: { node: 'n1' },
        requestedBy: 'U1',
      },
    };
    expect(aegisAlertSpecSchema.parse(spec).opsRequest?.requestedBy).toBe('U1');
    expect(
      aegisAlertSpecSchema.safeParse({ ...spec, opsRequest: { ...spec.opsRequest, requestedBy: '' } })
        .success,
    ).toBe(false);
    expect(
      aegisAlertSpecSchema.safeParse({
        ...spec,
        opsRequest: { ...spec.opsRequest, template: { name: 'cordon' } },
      }).success,
    ).toBe(false);
  });
});
