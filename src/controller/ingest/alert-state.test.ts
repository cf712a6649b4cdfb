import { describe, expect, it } from 'vitest';
import type { AegisAlert } from '../../core/ports/index.js';
import { initialStatusPatch, isActive, kubeTime, laterTime, pickActive } from './alert-state.js';

function alert(name: string, status: AegisAlert['status'], created = '2026-01-01T00:00:00Z'): AegisAlert {
  return {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisAlert',
    metadata: { name, creationTimestamp: created },
    spec: { type: 'T', status: 'Firing' },
    status,
  };
}

describe('alert state', () => {
  it('is active while firing and its ops are not finished', () => {
    expect(isActive(alert('a', undefined))).toBe(true);
    expect(isActive(alert('a', { status: 'Firing', opsStatus: { alertOpsStatus: 'Running' } }))).toBe(true);
    expect(isActive(alert('a', { status: 'Firing', opsStatus: { alertOpsStatus: 'Succeeded' } }))).toBe(
      false,
    );
    expect(isActive(alert('a', { status: 'Firing', opsStatus: { alertOpsStatus: 'Failed' } }))).toBe(false);
    expect(isActive(alert('a', { status: 'Resolved' }))).toBe(false);
  });

  it('picks the oldest active alert', () => {
    const picked = pickActive([
      alert('new', { status: 'Firing' }, '2026-01-02T00:00:00Z'),
      alert('done', { status: 'Firing', opsStatus: { alertOpsStatus: 'Succeeded' } }, '2025-01-01T00:00:00Z'),
      alert('old', { status: 'Firing' }, '2026-01-01T00:00:00Z'),
    ]);
    expect(picked?.metadata.name).toBe('old');
  });

  it('completes an initial status without resetting what is there', () => {
    expect(initialStatusPatch(alert('a', undefined), 'T0')).toEqual({
      status: 'Firing',
      count: 1,
      startTime: 'T0',
      lastSeen: 'T0',
    });
    expect(initialStatusPatch(alert('a', { count: 7, lastSeen: 'T1' }), 'T0')).toEqual({
      status: 'Firing',
      count: 7,
      startTime: 'T0',
      lastSeen: 'T1',
    });
    expect(
      initialStatusPatch(alert('a', { status: 'Firing', count: 2, startTime: 'T1' }), 'T0'),
    ).toBeUndefined();
  });

  it('writes times as metav1.Time and keeps the later one', () => {
    const ms = Date.parse('2026-01-01T00:00:05.678Z');
    expect(kubeTime(ms)).toBe('2026-01-01T00:00:05Z');
    expect(laterTime('2026-01-01T00:00:00Z', ms)).toBe('2026-01-01T00:00:05Z');
    expect(laterTime('2026-01-01T00:01:00Z', ms)).toBe('2026-01-01T00:01:00Z');
    expect(laterTime(undefined, undefined)).toBeUndefined();
  });
});
