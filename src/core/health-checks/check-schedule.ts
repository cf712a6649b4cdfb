/**
 * Health-check schedules. `spec.schedule` is a 5-field cron expression as upstream (`0 * * * *`), or a
 * descriptor (`@hourly`); a 6-field expression whose first field is seconds is also accepted (BullMQ schedules
 * both the same way). Parsed with the cron-parser version BullMQ itself runs, so what is accepted here is
 * exactly what will be scheduled.
 */
import { CronExpressionParser } from 'cron-parser';

export type ParsedSchedule =
  { readonly ok: true; readonly pattern: string } | { readonly ok: false; readonly message: string };

export function parseCheckSchedule(schedule: string, timeZone = 'UTC'): ParsedSchedule {
  const pattern = schedule.trim();
  const fields = pattern.split(/\s+/).length;
  if (!pattern.startsWith('@') && fields !== 5 && fields !== 6) {
    return {
      ok: false,
      message: `spec.schedule: "${schedule}" has ${fields} fields; expected 5 (minute hour day month weekday) or 6 (with seconds first)`,
    };
  }
  try {
    CronExpressionParser.parse(pattern, { tz: timeZone, strict: false });
    return { ok: true, pattern };
  } catch (error) {
    return {
      ok: false,
      message: `spec.schedule: "${schedule}" is not a cron expression: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/** The next `count` times the schedule fires after `from` (for tests, the CLI and the chat). */
export function nextScheduleTimes(pattern: string, from: Date, count: number, timeZone = 'UTC'): Date[] {
  const expression = CronExpressionParser.parse(pattern, { tz: timeZone, currentDate: from });
  const times: Date[] = [];
  for (let index = 0; index < count; index += 1) times.push(expression.next().toDate());
  return times;
}
