/**
 * A standard 5-field cron expression (minute hour day-of-month month day-of-week), as schedule
 * triggers accept it (docs/inbound.md, "Schedules"). Each field is `*`, a number, a range `a-b`, a
 * step `x/n`, or a comma list of those; months and weekdays also take their three-letter names.
 * Anything else (6 or 7 fields, `@daily`, `CRON_TZ=`) is refused, so Temporal never sees a form we
 * did not check.
 */
interface CronField {
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const FIELDS: readonly CronField[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS },
  // 7 is Sunday too, as in most cron dialects.
  { min: 0, max: 7, names: WEEKDAYS },
];

const valueOf = (text: string, field: CronField): number | null => {
  if (/^\d{1,2}$/.test(text)) {
    const value = Number(text);
    return value >= field.min && value <= field.max ? value : null;
  }
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index < 0) return null;
  return field === FIELDS[3] ? index + 1 : index;
};

const validPart = (part: string, field: CronField): boolean => {
  const [range, step, ...rest] = part.split('/');
  if (rest.length > 0 || range === undefined || range === '') return false;
  if (step !== undefined && !(/^\d{1,2}$/.test(step) && Number(step) >= 1 && Number(step) <= field.max)) return false;
  if (range === '*') return true;
  const bounds = range.split('-');
  if (bounds.length > 2) return false;
  const values = bounds.map((bound) => valueOf(bound, field));
  if (values.some((value) => value === null)) return false;
  const [low, high] = values as number[];
  return high === undefined || low! <= high;
};

export const isFiveFieldCron = (expression: string): boolean => {
  const fields = expression.trim().split(/\s+/);
  if (expression.length > 200 || fields.length !== FIELDS.length) return false;
  return fields.every((text, index) => text.split(',').every((part) => validPart(part, FIELDS[index]!)));
};

/**
 * The IANA zone as the runtime's time-zone database names it (aliases and letter case resolved),
 * or null when the name is not a zone. Temporal gets this form, so its own database agrees.
 */
export const canonicalTimeZone = (name: string): string | null => {
  if (name.length === 0 || name.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(name)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
};
