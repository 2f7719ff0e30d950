import { InputError } from "../../sdk/errors.js";
import { isGiven, parseDateOption, parseOptionalAddressOption } from "../lib/options.js";
import type { SignedOptions } from "../lib/task.js";

/** Seconds in a day. */
export const SECONDS_PER_DAY = 86_400n;

/** A consent or delegation period in unix seconds: in force for `start <= t < end`. */
export interface Period {
  readonly start: bigint;
  readonly end: bigint;
}

/** How a person typed a period: a start (ISO date, default now) and either an end or a length. */
export interface PeriodInput {
  /** ISO-8601 date or date-time, e.g. `2026-01-31` (UTC midnight) or `2026-01-31T09:00:00Z`, or unix seconds; "" for now. */
  readonly start?: string;
  /** ISO-8601 end (exclusive); give this or `days`. */
  readonly until?: string;
  /** Length in days from the start, e.g. `30` or `0.5`; give this or `until`. */
  readonly days?: string;
}

/**
 * Parses a number of days typed by a person (`30`, `0.5`) into seconds.
 *
 * @example
 * parseDays("30", "--days"); // 2592000n
 */
export function parseDays(text: string, option: string): bigint {
  const trimmed = text.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed) || Number(trimmed) <= 0) {
    throw new InputError(`${option} '${text}' is not a positive number of days`);
  }
  return BigInt(Math.round(Number(trimmed) * Number(SECONDS_PER_DAY)));
}

/** The options every `consent sign…` task shares: the patient, the deadline and the output file. */
export type OffChainSigningArgs = SignedOptions<"patient" | "out"> & {
  readonly deadlineDays: string;
};

/**
 * What a `consent sign…` task signs for: `--patient` (default: the signer) and how long after the
 * chain's latest block the signature may be submitted (`--deadline-days`, in seconds).
 *
 * @example
 * const { deadlineIn, patient } = parseOffChainSigning(args);
 */
export function parseOffChainSigning(args: OffChainSigningArgs): {
  deadlineIn: bigint;
  patient: string | undefined;
} {
  return {
    deadlineIn: parseDays(args.deadlineDays, "--deadline-days"),
    patient: parseOptionalAddressOption(args.patient, "--patient"),
  };
}

/**
 * Turns a period as typed (`--start`, and `--until` or `--days`) into unix seconds. `now` is the
 * chain's latest block time, so periods follow the chain's clock rather than the local one.
 *
 * @example
 * parsePeriod({ days: "30" }, now); // { start: now, end: now + 30 days }
 * parsePeriod({ start: "2026-01-01", until: "2026-07-01" }, now);
 */
export function parsePeriod(input: PeriodInput, now: bigint): Period {
  const start = isGiven(input.start) ? parseDateOption(input.start, "--start") : now;
  const hasUntil = isGiven(input.until);
  const hasDays = isGiven(input.days);
  if (hasUntil && hasDays) throw new InputError("give either --until or --days, not both");
  if (!hasUntil && !hasDays) {
    throw new InputError("give the period's end: --days <n> or --until <ISO date>");
  }
  const end = hasUntil
    ? parseDateOption(input.until, "--until")
    : start + parseDays(input.days ?? "", "--days");
  if (end <= start) {
    throw new InputError("the period ends before it starts: check --start and --until");
  }
  if (end <= now) throw new InputError("the period is already over: check --until");
  return { start, end };
}
