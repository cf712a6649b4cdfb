import { describe, expect, it } from 'vitest';
import type { AlertApproval, ApprovalHistoryEntry } from '../resources/index.js';
import { approvalIsValid } from './approval-validity.js';

const at = '2025-06-01T08:05:00Z';

function approvalWith(
  history: ApprovalHistoryEntry[],
  overrides: Partial<AlertApproval> = {},
): AlertApproval {
  return {
    state: 'Approved',
    requestedAt: '2025-06-01T08:00:00Z',
    expiresAt: '2025-06-01T08:30:00Z',
    approvers: [],
    minApprovals: 1,
    history,
    ...overrides,
  };
}

const vote = (by: string, extra: Partial<ApprovalHistoryEntry> = {}): ApprovalHistoryEntry => ({
  decision: 'Approved',
  by,
  via: 'slack',
  at,
  ...extra,
});

describe('approvalIsValid', () => {
  it('counts each credential once, whatever names its entries give', () => {
    const token = 'token:sha256:0123456789ab';
    const forged = approvalWith([vote('U1', { credential: token }), vote('U2', { credential: token })], {
      minApprovals: 2,
    });
    expect(approvalIsValid(forged, { minApprovals: 2 })).toEqual({
      valid: false,
      reason: '2 approvals needed, 1 valid (U2 approved with a credential that already counted)',
    });
    const two = approvalWith([vote('U1', { credential: token }), vote('U2', { credential: 'slack:U2' })], {
      minApprovals: 2,
    });
    expect(approvalIsValid(two, { minApprovals: 2 })).toEqual({ valid: true, approvedBy: ['U1', 'U2'] });
  });

  it('accepts an approval written by decide', () => {
    expect(approvalIsValid(approvalWith([vote('U1')]), undefined)).toEqual({
      valid: true,
      approvedBy: ['U1'],
    });
  });

  it('refuses a kubectl patch that only set state Approved', () => {
    const result = approvalIsValid(approvalWith([]), { approvers: ['U1'] });
    expect(result).toEqual({ valid: false, reason: '1 approval needed, 0 valid' });
  });

  it('refuses an approval that is not Approved', () => {
    expect(approvalIsValid(approvalWith([vote('U1')], { state: 'Pending' }), undefined)).toMatchObject({
      valid: false,
      reason: 'the approval is Pending',
    });
  });

  it("checks entries against the rule's approvers even when the status list was loosened", () => {
    const loosened = approvalWith([vote('U7', { via: 'kubectl' })], { approvers: [] });
    expect(approvalIsValid(loosened, { approvers: ['U1', 'S-oncall'] })).toMatchObject({
      valid: false,
      reason: '1 approval needed, 0 valid (U7 is not an approver)',
    });
    expect(
      approvalIsValid(approvalWith([vote('U7', { group: 'S-oncall' })]), { approvers: ['S-oncall'] }),
    ).toEqual({
      valid: true,
      approvedBy: ['U7'],
    });
  });

  it('also honours the approver list recorded at request time when the rule has none', () => {
    const result = approvalIsValid(approvalWith([vote('U7')], { approvers: ['U1'] }), undefined);
    expect(result).toMatchObject({ valid: false });
  });

  it('uses the larger minApprovals of the rule and the status, counting each user once', () => {
    const twice = approvalWith([vote('U1'), vote('U1')], { minApprovals: 1 });
    expect(approvalIsValid(twice, { minApprovals: 2 })).toMatchObject({ valid: false });
    expect(approvalIsValid(approvalWith([vote('U1'), vote('U2')]), { minApprovals: 2 })).toEqual({
      valid: true,
      approvedBy: ['U1', 'U2'],
    });
    expect(
      approvalIsValid(approvalWith([vote('U1')], { minApprovals: 2 }), { minApprovals: 1 }),
    ).toMatchObject({
      valid: false,
    });
  });

  it('refuses self-approval unless both the rule and the recorded policy allow it', () => {
    const self = approvalWith([vote('U1')], { requestedBy: 'U1', allowSelfApproval: true });
    expect(approvalIsValid(self, undefined)).toMatchObject({
      valid: false,
      reason: expect.stringContaining('U1 requested the run'),
    });
    expect(approvalIsValid(self, { allowSelfApproval: true })).toMatchObject({ valid: true });
    expect(approvalIsValid({ ...self, allowSelfApproval: false }, { allowSelfApproval: true })).toMatchObject(
      {
        valid: false,
      },
    );
    expect(approvalIsValid(approvalWith([vote('U1')]), undefined, { requester: 'U1' })).toMatchObject({
      valid: false,
    });
  });

  it('refuses entries outside the request window and any rejection in the history', () => {
    expect(
      approvalIsValid(approvalWith([vote('U1', { at: '2025-06-01T08:30:00Z' })]), undefined),
    ).toMatchObject({
      valid: false,
      reason: expect.stringContaining('after it expired'),
    });
    expect(
      approvalIsValid(approvalWith([vote('U1', { at: '2025-06-01T07:00:00Z' })]), undefined),
    ).toMatchObject({
      valid: false,
    });
    const rejected = approvalWith([vote('U1'), { decision: 'Rejected', by: 'U2', via: 'cli', at }]);
    expect(approvalIsValid(rejected, undefined)).toMatchObject({
      valid: false,
      reason: 'the history has a Rejected decision by U2',
    });
  });
});
