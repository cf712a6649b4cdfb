import { describe, expect, it } from 'vitest';
import { nextScheduleTimes, parseCheckSchedule } from './check-schedule.js';

describe('health-check schedules', () => {
  it('fires "* * * * *" once a minute, on the minute', () => {
    const times = nextScheduleTimes('* * * * *', new Date('2026-12-08T02:00:30Z'), 2);
    expect(times.map((time) => time.toISOString())).toEqual([
      '2026-12-08T02:01:00.000Z',
      '2026-12-08T02:02:00.000Z',
    ]);
  });

  it('accepts 5 fields, 6 fields (seconds first) and descriptors, and says what is wrong otherwise', () => {
    expect(parseCheckSchedule('*/10 * * * *')).toEqual({ ok: true, pattern: '*/10 * * * *' });
    expect(parseCheckSchedule('*/2 * * * * *').ok).toBe(true);
    expect(parseCheckSchedule('@hourly').ok).toBe(true);
    expect(parseCheckSchedule('every minute')).toEqual({
      ok: false,
      message:
        'spec.schedule: "every minute" has 2 fields; expected 5 (minute hour day month weekday) or 6 (with seconds first)',
    });
    const bad = parseCheckSchedule('61 * * * *');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/^spec\.schedule: "61 \* \* \* \*" is not a cron expression/);
  });
});
