import { describe, expect, it } from 'vitest';
import { fingerprintLabelValue } from '../alerts/index.js';
import { findSilence, isSilenced, silenceMatches } from './is-silenced.js';
import { formatDuration, parseChatDuration } from './chat-duration.js';

const now = new Date('2026-01-01T10:00:00Z');
const alert = (type: string, fingerprint?: string) => ({
  metadata: { labels: fingerprint === undefined ? {} : { fingerprint: fingerprintLabelValue(fingerprint) } },
  spec: { type },
});
const silence = (matcher: { type?: string; fingerprint?: string }, until = '2026-01-01T11:00:00Z') => ({
  metadata: { name: 's1' },
  spec: { matcher, until, createdBy: 'U1' },
});

describe('isSilenced', () => {
  it('matches by exact type while in force', () => {
    expect(isSilenced(alert('NodeDown'), [silence({ type: 'NodeDown' })], now)).toBe(true);
    expect(isSilenced(alert('NodeDownAgain'), [silence({ type: 'NodeDown' })], now)).toBe(false);
    expect(isSilenced(alert('NodeDown'), [silence({ type: 'NodeDown' }, '2026-01-01T10:00:00Z')], now)).toBe(
      false,
    );
  });

  it('matches by fingerprint (raw or label value) and needs both fields when both are set', () => {
    const long = 'x'.repeat(80);
    expect(isSilenced(alert('A', 'abc123'), [silence({ fingerprint: 'abc123' })], now)).toBe(true);
    expect(isSilenced(alert('A', long), [silence({ fingerprint: long })], now)).toBe(true);
    expect(isSilenced(alert('A', 'abc123'), [silence({ fingerprint: 'abc124' })], now)).toBe(false);
    expect(silenceMatches(silence({ type: 'B', fingerprint: 'abc123' }), alert('A', 'abc123'))).toBe(false);
    expect(silenceMatches(silence({ type: 'A', fingerprint: 'abc123' }), alert('A', 'abc123'))).toBe(true);
  });

  it('never matches with an empty matcher or a silence being deleted', () => {
    expect(isSilenced(alert('A'), [silence({})], now)).toBe(false);
    const deleting = { ...silence({ type: 'A' }), metadata: { deletionTimestamp: '2026-01-01T09:00:00Z' } };
    expect(isSilenced(alert('A'), [deleting], now)).toBe(false);
  });

  it('never silences an operator-initiated run (spec.opsRequest)', () => {
    const request = { ...alert('A'), spec: { type: 'A', opsRequest: { requestedBy: 'U1' } } };
    expect(isSilenced(request, [silence({ type: 'A' })], now)).toBe(false);
  });

  it('finds the silence that applies', () => {
    const first = silence({ type: 'X' });
    const second = { ...silence({ type: 'A' }), metadata: { name: 's2' } };
    expect(findSilence(alert('A'), [first, second], now)?.metadata.name).toBe('s2');
  });
});

describe('parseChatDuration', () => {
  it.each([
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
    ['1h30m', 5_400_000],
    ['90s', 90_000],
  ])('%s', (text, ms) => expect(parseChatDuration(text)).toBe(ms));

  it.each(['', '0m', '1.5h', 'h', '10', '5y', '-1h'])('refuses %j', (text) => {
    expect(parseChatDuration(text)).toBeUndefined();
  });

  it('formats', () => {
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(1_800_000)).toBe('30m');
    expect(formatDuration(5_400_000)).toBe('1h 30m');
    expect(formatDuration(86_400_000 + 4 * 3_600_000)).toBe('1d 4h');
  });
});
