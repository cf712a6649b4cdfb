import { describe, expect, it } from 'vitest';
import { matchesFormat } from './string-format.js';

describe('matchesFormat', () => {
  it.each([
    '2026-11-02T10:00:00Z',
    '2026-11-02T10:00:00.123456Z',
    '2026-11-02t10:00:00+02:00',
    '2026-11-02T10:00:00-0700',
    '2026-11-02 10:00:00',
    '2026-11-02T10:00',
  ])('accepts the date-time %s', (value) => {
    expect(matchesFormat('date-time', value)).toBe(true);
  });

  it.each([
    '',
    'now',
    '2026-11-02',
    '2026-13-02T10:00:00Z',
    '2026-02-30T10:00:00Z',
    '2026-11-02T25:00:00Z',
    '10:00',
  ])('rejects the date-time %j', (value) => {
    expect(matchesFormat('date-time', value)).toBe(false);
  });

  it('checks dates, leap years included', () => {
    expect(matchesFormat('date', '2024-02-29')).toBe(true);
    expect(matchesFormat('date', '2025-02-29')).toBe(false);
    expect(matchesFormat('date', '2025-1-1')).toBe(false);
  });

  it('checks uuids and accepts formats it does not know', () => {
    expect(matchesFormat('uuid', '123e4567-e89b-12d3-a456-426614174000')).toBe(true);
    expect(matchesFormat('uuid', 'not-a-uuid')).toBe(false);
    expect(matchesFormat('hostname', '!!')).toBe(true);
  });
});
