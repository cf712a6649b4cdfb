import { describe, expect, it } from 'vitest';
import type { AegisAlert } from '../../core/ports/index.js';
import { alertExpiresAt, upstreamAlertTtlDefaults } from './alert-expiry.js';

function alert(
  status: AegisAlert['status'],
  ttlStrategy: AegisAlert['spec']['ttlStrategy'] = {},
): AegisAlert {
  return {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisAlert',
    metadata: { name: 'a', namespace: 'monitoring' },
    spec: { type: 'T', status: 'Firing', ttlStrategy },
    status,
  };
}

const completion = '2026-01-01T00:00:00Z';
const base = Date.parse(completion);

describe('alertExpiresAt', () => {
  it('counts success and failure TTLs from the completion time', () => {
    const succeeded = alert(
      {
        startTime: '2025-01-01T00:00:00Z',
        opsStatus: { alertOpsStatus: 'Succeeded', completionTime: completion },
      },
      { secondsAfterSuccess: 10 },
    );
    expect(alertExpiresAt(succeeded, upstreamAlertTtlDefaults)).toBe(base + 10_000);
    const failed = alert({ opsStatus: { alertOpsStatus: 'Failed', completionTime: completion } });
    expect(alertExpiresAt(failed, upstreamAlertTtlDefaults)).toBe(base + 259_200_000);
  });

  it('uses secondsAfterCompletion when the specific value is missing', () => {
    const failed = alert(
      { opsStatus: { alertOpsStatus: 'Failed', completionTime: completion } },
      { secondsAfterCompletion: 5 },
    );
    expect(alertExpiresAt(failed, upstreamAlertTtlDefaults)).toBe(base + 5_000);
  });

  it('falls back to the Complete condition when completionTime is missing', () => {
    const succeeded = alert({
      opsStatus: { alertOpsStatus: 'Succeeded' },
      conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: completion }],
    });
    expect(alertExpiresAt(succeeded, upstreamAlertTtlDefaults)).toBe(base + 86_400_000);
  });

  it('expires a resolved alert without ops from resolvedAt', () => {
    const resolved = alert({ status: 'Resolved', resolvedAt: completion }, { secondsAfterNoOps: 1 });
    expect(alertExpiresAt(resolved, upstreamAlertTtlDefaults)).toBe(base + 1_000);
  });

  it('never expires running ops, firing alerts without ops, or unknown times', () => {
    expect(
      alertExpiresAt(alert({ opsStatus: { alertOpsStatus: 'Running' } }), upstreamAlertTtlDefaults),
    ).toBeUndefined();
    expect(
      alertExpiresAt(alert({ status: 'Firing', startTime: completion }), upstreamAlertTtlDefaults),
    ).toBeUndefined();
    expect(
      alertExpiresAt(alert({ opsStatus: { alertOpsStatus: 'Succeeded' } }), upstreamAlertTtlDefaults),
    ).toBeUndefined();
    expect(alertExpiresAt(alert(undefined), upstreamAlertTtlDefaults)).toBeUndefined();
  });
});

describe('alerts that matched no rule', () => {
  const defaults = { ...upstreamAlertTtlDefaults, secondsAfterUnmatched: 3_600 };

  it('expire after their last delivery when no rule (or too many) matched', () => {
    for (const triggerStatus of ['RuleNotFound', 'TooManyRulesFound', 'TooManyRuletFound'] as const) {
      const firing = alert({ status: 'Firing', lastSeen: completion, opsStatus: { triggerStatus } });
      expect(alertExpiresAt(firing, defaults), triggerStatus).toBe(base + 3_600_000);
    }
  });

  it('stay while a rule handles them, and when no TTL is configured', () => {
    const matched = alert({
      status: 'Firing',
      lastSeen: completion,
      opsStatus: { triggerStatus: 'Triggered' },
    });
    expect(alertExpiresAt(matched, defaults)).toBeUndefined();
    const unmatched = alert({
      status: 'Firing',
      lastSeen: completion,
      opsStatus: { triggerStatus: 'RuleNotFound' },
    });
    expect(alertExpiresAt(unmatched, upstreamAlertTtlDefaults)).toBeUndefined();
  });
});
