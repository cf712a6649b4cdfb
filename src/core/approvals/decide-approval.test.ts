import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlertApproval } from '../resources/index.js';
import { decide, type DecisionRequest } from './decide-approval.js';

const requestedAt = '2025-06-01T08:00:00Z';
const expiresAt = '2025-06-01T08:30:00Z';
const now = new Date('2025-06-01T08:10:00Z');

function pending(overrides: Partial<AlertApproval> = {}): AlertApproval {
  return {
    state: 'Pending',
    requestedAt,
    expiresAt,
    renderedManifest: 'kind: Workflow\n',
    manifestDigest: 'abc',
    approvers: [],
    minApprovals: 1,
    history: [],
    ...overrides,
  };
}

function request(overrides: Partial<DecisionRequest> = {}): DecisionRequest {
  return { decision: 'approve', by: 'U1', via: 'slack', now, ...overrides };
}

function approved(approval: AlertApproval, ...requests: Partial<DecisionRequest>[]): AlertApproval {
  let current = approval;
  for (const overrides of requests) {
    const result = decide(current, request(overrides));
    if (!result.ok) throw new Error(result.message);
    current = result.approval;
  }
  return current;
}

describe('decide', () => {
  it('counts one credential once, whatever user it claims to be (minApprovals 2 needs two credentials)', () => {
    const token = 'token:sha256:0123456789ab';
    const first = approved(pending({ minApprovals: 2 }), { by: 'U1', credential: token });
    expect(first.history?.[0]).toMatchObject({ by: 'U1', credential: token });
    const again = decide(first, request({ by: 'U2', credential: token }));
    expect(again).toMatchObject({ ok: false, code: 'SameCredential' });
    expect(decide(first, request({ by: 'U2', credential: 'slack:U2' }))).toMatchObject({
      ok: true,
      approval: { state: 'Approved' },
    });
    // A credential that approved may still reject: one rejection closes the request.
    expect(decide(first, request({ decision: 'reject', by: 'U2', credential: token }))).toMatchObject({
      ok: true,
      approval: { state: 'Rejected' },
    });
  });

  it('approves with one approval by anyone when the approver list is empty, recording who, how, when, why', () => {
    const result = decide(pending(), request({ by: 'U9', via: 'cli', reason: 'disk full' }));
    expect(result).toEqual({
      ok: true,
      changed: true,
      approval: pending({
        state: 'Approved',
        decidedAt: '2025-06-01T08:10:00Z',
        history: [
          { decision: 'Approved', by: 'U9', via: 'cli', at: '2025-06-01T08:10:00Z', reason: 'disk full' },
        ],
      }),
    });
  });

  it('does not mutate its input', () => {
    const approval = pending();
    const copy = structuredClone(approval);
    decide(approval, request());
    expect(approval).toEqual(copy);
  });

  it('needs minApprovals distinct approvers and stays Pending until then', () => {
    const approval = pending({ minApprovals: 2 });
    const first = approved(approval, { by: 'U1' });
    expect(first.state).toBe('Pending');
    expect(first.history).toHaveLength(1);
    const second = approved(first, { by: 'U2', via: 'kubectl' });
    expect(second.state).toBe('Approved');
    expect(second.history?.map((entry) => entry.by)).toEqual(['U1', 'U2']);
  });

  it('treats a second approval by the same user as idempotent: no error, no double count', () => {
    const first = approved(pending({ minApprovals: 2 }), { by: 'U1' });
    const again = decide(first, request({ by: 'U1', via: 'cli' }));
    expect(again).toEqual({ ok: true, changed: false, approval: first });
    expect(first.state).toBe('Pending');
  });

  it('treats the closing decision repeated by its author as idempotent, anything else on a closed approval as AlreadyDecided', () => {
    const done = approved(pending(), { by: 'U1' });
    expect(decide(done, request({ by: 'U1' }))).toMatchObject({ ok: true, changed: false });
    expect(decide(done, request({ by: 'U2' }))).toMatchObject({ ok: false, code: 'AlreadyDecided' });
    expect(decide(done, request({ by: 'U1', decision: 'reject' }))).toMatchObject({
      ok: false,
      code: 'AlreadyDecided',
    });
    const rejected = approved(pending(), { by: 'U3', decision: 'reject' });
    expect(decide(rejected, request({ by: 'U3', decision: 'reject' }))).toMatchObject({
      ok: true,
      changed: false,
    });
    expect(decide(rejected, request({ by: 'U1' }))).toMatchObject({ ok: false, code: 'AlreadyDecided' });
  });

  it('rejects with one rejection, even after partial approvals', () => {
    const first = approved(pending({ minApprovals: 3 }), { by: 'U1' });
    const result = decide(first, request({ by: 'U2', decision: 'reject', reason: 'not now' }));
    expect(result).toMatchObject({
      ok: true,
      approval: {
        state: 'Rejected',
        decidedAt: '2025-06-01T08:10:00Z',
        history: [
          { decision: 'Approved', by: 'U1' },
          { decision: 'Rejected', by: 'U2', reason: 'not now' },
        ],
      },
    });
  });

  it('lets an approver change their mind from approve to reject while pending', () => {
    const first = approved(pending({ minApprovals: 2 }), { by: 'U1' });
    expect(decide(first, request({ by: 'U1', decision: 'reject' }))).toMatchObject({
      ok: true,
      approval: { state: 'Rejected' },
    });
  });

  it('allows listed users and members of listed groups, recording the group; refuses everyone else', () => {
    const approval = pending({ approvers: ['U1', 'S-oncall'] });
    expect(decide(approval, request({ by: 'U1' }))).toMatchObject({
      ok: true,
      approval: { state: 'Approved' },
    });
    const viaGroup = decide(approval, request({ by: 'U2', byGroups: ['S-other', 'S-oncall'] }));
    expect(viaGroup).toMatchObject({ ok: true, approval: { history: [{ by: 'U2', group: 'S-oncall' }] } });
    const outsider = decide(approval, request({ by: 'U3', byGroups: ['S-other'] }));
    expect(outsider).toMatchObject({ ok: false, code: 'NotApprover' });
    expect(outsider.ok ? '' : outsider.message).toContain('U1, S-oncall');
    expect(decide(approval, request({ by: 'U3', decision: 'reject' }))).toMatchObject({
      ok: false,
      code: 'NotApprover',
    });
  });

  it('refuses self-approval unless allowed, but lets the requester reject (withdraw) their own run', () => {
    const approval = pending({ requestedBy: 'U1' });
    expect(decide(approval, request({ by: 'U1' }))).toMatchObject({ ok: false, code: 'SelfApproval' });
    expect(decide(pending(), request({ by: 'U1', requester: 'U1' }))).toMatchObject({
      ok: false,
      code: 'SelfApproval',
    });
    expect(decide(approval, request({ by: 'U2' }))).toMatchObject({ ok: true });
    expect(decide(approval, request({ by: 'U1', decision: 'reject' }))).toMatchObject({
      ok: true,
      approval: { state: 'Rejected' },
    });
    expect(
      decide(pending({ requestedBy: 'U1', allowSelfApproval: true }), request({ by: 'U1' })),
    ).toMatchObject({
      ok: true,
      approval: { state: 'Approved' },
    });
  });

  it('refuses a decision at or after expiresAt, and on an Expired approval', () => {
    expect(decide(pending(), request({ now: new Date(expiresAt) }))).toMatchObject({
      ok: false,
      code: 'Expired',
    });
    expect(decide(pending(), request({ now: new Date('2025-06-01T08:29:59Z') }))).toMatchObject({ ok: true });
    expect(decide(pending({ state: 'Expired' }), request())).toMatchObject({ ok: false, code: 'Expired' });
    expect(decide(pending({ expiresAt: undefined as never }), request())).toMatchObject({ ok: true });
  });

  it('refuses decisions on a cancelled approval', () => {
    expect(decide(pending({ state: 'Cancelled' }), request())).toMatchObject({
      ok: false,
      code: 'NotPending',
    });
  });

  it('leaves out an empty reason', () => {
    const result = decide(pending(), request({ reason: '' }));
    expect(result.ok && result.approval.history?.[0]).not.toHaveProperty('reason');
  });

  it('property: the approval is Approved exactly when minApprovals distinct users approved, never counted twice', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.constantFrom('U1', 'U2', 'U3', 'U4', 'U5'), { maxLength: 12 }),
        (minApprovals, voters) => {
          let approval = pending({ minApprovals });
          const distinct = new Set<string>();
          for (const by of voters) {
            const result = decide(approval, request({ by }));
            if (approval.state === 'Approved') {
              expect(result.ok).toBe(distinct.has(by));
              continue;
            }
            expect(result.ok).toBe(true);
            if (result.ok) approval = result.approval;
            distinct.add(by);
          }
          const approvals = (approval.history ?? []).filter((entry) => entry.decision === 'Approved');
          expect(new Set(approvals.map((entry) => entry.by)).size).toBe(approvals.length);
          expect(approval.state === 'Approved').toBe(distinct.size >= minApprovals);
        },
      ),
    );
  });
});
