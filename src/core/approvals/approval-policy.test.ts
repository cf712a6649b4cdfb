import { describe, expect, it } from 'vitest';
import {
  approvalPolicyOf,
  approvalRequired,
  newPendingApproval,
  opsRequestApprovalPolicy,
} from './approval-policy.js';
import { addDuration, parseDurationMs } from './approval-timeout.js';

describe('approval policy', () => {
  it('follows the rule block when present, else AEGIS_APPROVAL_DEFAULT', () => {
    expect(approvalRequired(undefined, 'none')).toBe(false);
    expect(approvalRequired(undefined, 'required')).toBe(true);
    expect(approvalRequired({}, 'none')).toBe(true);
    expect(approvalRequired({ required: false }, 'required')).toBe(false);
  });

  it('fills defaults: anyone, one approval, 30m, no self-approval', () => {
    expect(approvalPolicyOf(undefined)).toEqual(opsRequestApprovalPolicy);
    expect(
      approvalPolicyOf({ approvers: ['U1'], minApprovals: 2, timeout: '1h', allowSelfApproval: true }),
    ).toEqual({
      approvers: ['U1'],
      minApprovals: 2,
      timeout: '1h',
      allowSelfApproval: true,
    });
  });

  it('builds the pending approval the reconciler writes', () => {
    const approval = newPendingApproval({
      policy: approvalPolicyOf({ approvers: ['U1'], timeout: '1h30m' }),
      now: new Date('2025-06-01T08:00:00.123Z'),
      renderedManifest: 'kind: Workflow\n',
      manifestDigest: 'abc',
      rule: { namespace: 'monitoring', name: 'r' },
      template: { namespace: 'monitoring', name: 't' },
      requestedBy: 'U2',
    });
    expect(approval).toEqual({
      state: 'Pending',
      requestedAt: '2025-06-01T08:00:00Z',
      expiresAt: '2025-06-01T09:30:00Z',
      rule: { namespace: 'monitoring', name: 'r' },
      template: { namespace: 'monitoring', name: 't' },
      renderedManifest: 'kind: Workflow\n',
      manifestDigest: 'abc',
      approvers: ['U1'],
      minApprovals: 1,
      allowSelfApproval: false,
      requestedBy: 'U2',
      history: [],
    });
  });

  it('parses Go durations', () => {
    expect(parseDurationMs('30m')).toBe(1_800_000);
    expect(parseDurationMs('1h30m')).toBe(5_400_000);
    expect(parseDurationMs('1.5h')).toBe(5_400_000);
    expect(parseDurationMs('250ms')).toBe(250);
    expect(parseDurationMs('soon')).toBeUndefined();
    expect(parseDurationMs('')).toBeUndefined();
    expect(() => addDuration(new Date(0), '-1m')).toThrow(/not a duration/);
  });
});
