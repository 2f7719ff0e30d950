import { InputError } from "./errors.js";

/** How `parseDate` reads a date: `endOfDay` for a bare date's last second, `unixSeconds` to accept seconds. */
export interface DateSettings {
  readonly endOfDay?: boolean;
  readonly unixSeconds?: boolean;
}

/** The forms `parseDate` accepts, for refusals and help texts. */
export function dateUsage(settings: DateSettings = {}): string {
  return settings.unixSeconds === true
    ? "YYYY-MM-DD, an ISO date-time such as 2026-01-31T09:00:00Z, or unix seconds"
    : "YYYY-MM-DD or an ISO date-time such as 2026-01-31T09:00:00Z";
}

/**
 * Reads a date typed by a person as unix seconds: an ISO date `YYYY-MM-DD` (UTC midnight, or the day's last
 * second with `endOfDay`) or an ISO date-time (UTC when it names no zone, so the answer never
 * depends on the machine's time zone); with `unixSeconds`, a plain number of seconds too.
 *
 * `what` names the value in refusals (an option such as `--until`, or "service date").
 *
 * @throws InputError when the value is none of these, not a calendar date, or before 1970.
 * @example
 * parseDate("2026-01-31", "--until"); // 1769817600n
 * parseDate("2025-12-31", "--end", { endOfDay: true, unixSeconds: true }); // 1767225599n
 */
export function parseDate(input: string, what: string, settings: DateSettings = {}): bigint {
  const usage = dateUsage(settings);
  const text = input.trim();
  if (settings.unixSeconds === true && /^\d+$/.test(text)) return BigInt(text);
  const date = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(
    text,
  );
  if (date === null) throw new InputError(`${what} '${text}' is not a date: use ${usage}`);
  const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
  const midnight = new Date(Date.UTC(year, month - 1, day));
  if (midnight.getUTCMonth() !== month - 1 || midnight.getUTCDate() !== day) {
    throw new InputError(`${what} '${text}' is not a calendar date`);
  }
  const time = date[4];
  const zoned = time === undefined || date[7] !== undefined;
  const millis = time === undefined ? midnight.getTime() : Date.parse(zoned ? text : `${text}Z`);
  if (Number.isNaN(millis)) throw new InputError(`${what} '${text}' is not a valid date`);
  if (millis < 0) throw new InputError(`${what} '${text}' is before 1970`);
  const seconds = BigInt(Math.floor(millis / 1000));
  return time === undefined && settings.endOfDay === true ? seconds + 86_399n : seconds;
}
