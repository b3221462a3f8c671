/**
 * The text forms of date, datetime and uuid values: one strict spelling each, which Pydantic,
 * Python's `fromisoformat` and PostgreSQL all read the same way.
 */

export const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Seconds required, up to microseconds (Python's precision), and an explicit offset. */
export const DATETIME_TEXT = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{1,6})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
/** Canonical: lowercase, as Python's `str(uuid)` prints it. */
export const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A real day of the proleptic Gregorian calendar Python's `date` covers (years 1 to 9999). */
export function isCalendarDate(value: string): boolean {
  const match = DATE_TEXT.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

/** A real date and time whose UTC form (how the app stores it) is still within years 1 to 9999. */
export function isDateTime(value: string): boolean {
  const match = DATETIME_TEXT.exec(value);
  if (match === null || !isCalendarDate(match[1]!)) return false;
  const [, date, hours, minutes, , , zone] = match as unknown as [string, string, string, string, string, string, string];
  const offset = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const utcMinutes = Number(hours) * 60 + Number(minutes) - offset;
  if (date === '0001-01-01' && utcMinutes < 0) return false;
  return !(date === '9999-12-31' && utcMinutes >= 24 * 60);
}
