import { describe, expect, it } from 'vitest';
import { ageSince, humanDuration } from './human-duration.js';

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;
const year = 365 * day;

describe('humanDuration', () => {
  it.each([
    [-2 * second, '<invalid>'],
    [-1999, '0s'],
    [-1 * second, '0s'],
    [0, '0s'],
    [999, '0s'],
    [5 * second, '5s'],
    [119 * second, '119s'],
    [2 * minute, '2m'],
    [3 * minute + 2 * second, '3m2s'],
    [9 * minute + 59 * second, '9m59s'],
    [10 * minute, '10m'],
    [70 * minute, '70m'],
    [179 * minute + 59 * second, '179m'],
    [3 * hour, '3h'],
    [4 * hour, '4h'],
    [7 * hour + 59 * minute, '7h59m'],
    [8 * hour, '8h'],
    [47 * hour + 59 * minute, '47h'],
    [48 * hour, '2d'],
    [2 * day + 5 * hour, '2d5h'],
    [7 * day + 23 * hour, '7d23h'],
    [8 * day, '8d'],
    [2 * year - hour, '729d'],
    [2 * year, '2y'],
    [3 * year + 120 * day, '3y120d'],
    [8 * year - hour, '7y364d'],
    [8 * year, '8y'],
    [20 * year, '20y'],
  ])('%d ms is %s', (milliseconds, expected) => {
    expect(humanDuration(milliseconds)).toBe(expected);
  });
});

describe('ageSince', () => {
  const now = new Date('2026-11-22T10:00:00Z');
  it('measures from an RFC 3339 timestamp', () => {
    expect(ageSince('2026-11-22T09:55:00Z', now)).toBe('5m');
    expect(ageSince('2026-11-22T09:59:55.123456Z', now)).toBe('4s');
    expect(ageSince('2026-11-22T11:59:55+02:00', now)).toBe('5s');
  });
  it('says <unknown> for a missing time and <invalid> for garbage', () => {
    expect(ageSince(undefined, now)).toBe('<unknown>');
    expect(ageSince('', now)).toBe('<unknown>');
    expect(ageSince('yesterday', now)).toBe('<invalid>');
  });
});
