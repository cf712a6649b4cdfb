import { describe, expect, it } from 'vitest';
import type { Alert } from './alert.js';
import { deliveryId } from './delivery-id.js';

const base: Pick<Alert, 'source' | 'fingerprint' | 'status' | 'startsAt'> = {
  source: 'Alertmanager',
  fingerprint: 'c0ffee0123456789',
  status: 'Firing',
  startsAt: '2026-03-05T09:59:00Z',
};

describe('deliveryId', () => {
  it('is alert- + 64 hex digits, with no ":"', () => {
    expect(deliveryId(base, 'n1')).toMatch(/^alert-[0-9a-f]{64}$/);
  });

  it('is the same for a redelivery with the same start time, whatever the nonce', () => {
    expect(deliveryId(base, 'n1')).toBe(deliveryId({ ...base }, 'n2'));
  });

  it('differs by source, fingerprint, status and start time', () => {
    const id = deliveryId(base, 'n');
    expect(deliveryId({ ...base, source: 'Default' }, 'n')).not.toBe(id);
    expect(deliveryId({ ...base, fingerprint: 'other' }, 'n')).not.toBe(id);
    expect(deliveryId({ ...base, status: 'Resolved' }, 'n')).not.toBe(id);
    expect(deliveryId({ ...base, startsAt: '2026-03-05T10:59:00Z' }, 'n')).not.toBe(id);
  });

  it('uses the nonce when there is no start time, so every post is its own delivery', () => {
    const { startsAt: _startsAt, ...withoutStart } = base;
    expect(deliveryId(withoutStart, 'n1')).not.toBe(deliveryId(withoutStart, 'n2'));
    expect(deliveryId(withoutStart, 'n1')).toBe(deliveryId(withoutStart, 'n1'));
  });

  it('never confuses a nonce with a start time', () => {
    const { startsAt: _startsAt, ...withoutStart } = base;
    expect(deliveryId(withoutStart, '2026-03-05T09:59:00Z')).not.toBe(deliveryId(base, 'x'));
  });
});
