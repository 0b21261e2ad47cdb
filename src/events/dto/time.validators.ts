import { isISO8601, ValidatorConstraint, ValidatorConstraintInterface, ValidationArguments } from 'class-validator';

/** An IANA zone name Node's ICU knows (Asia/Seoul, Europe/Berlin, UTC); offsets like +09:00 are refused. */
@ValidatorConstraint({ name: 'ianaTimeZone' })
export class IanaTimeZone implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(value)) return false;
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be an IANA time zone such as Asia/Seoul`;
  }
}

/**
 * The ISO 8601 string ends with Z or ±hh:mm, and is a form Date can read: ISO 8601 also allows week
 * and ordinal dates (2027-W10-3, 2027-069), which would otherwise reach the database as an invalid date.
 */
@ValidatorConstraint({ name: 'hasOffset' })
export class HasOffset implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));
  }
}

/** A strict ISO 8601 date or date-time that Date can read (not a week or ordinal date such as 2027-W10 or 2027-100). */
@ValidatorConstraint({ name: 'isoDate' })
export class IsoDate implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isISO8601(value, { strict: true }) && !Number.isNaN(Date.parse(value));
  }
}

/**
 * How far from now an event may start or end: a year back (a meeting recorded after the fact),
 * ten years ahead (the horizon of a series too). Beyond that a time is a typo such as 9999, which
 * would reach mails and .ics files as a five-digit year after a zone shift.
 */
export const EVENT_TIME_RANGE: YearsAroundNow = { pastYears: 1, futureYears: 10 };
/**
 * Registration and quota-release times need only be sane dates here: past ones are common (a
 * quota released now); their order against the event's own times is checkEventTimes' part.
 */
export const WINDOW_TIME_RANGE: YearsAroundNow = { pastYears: 10, futureYears: 10 };

export interface YearsAroundNow {
  pastYears: number;
  futureYears: number;
}

/**
 * A date-time (already checked by IsISO8601 and HasOffset, which report any other value) within the given
 * years around now: `@Validate(WithinYearsOfNow, [EVENT_TIME_RANGE])`. On a PATCH it checks only
 * the fields sent, so an event that lies further back can still be corrected.
 */
@ValidatorConstraint({ name: 'withinYearsOfNow' })
export class WithinYearsOfNow implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    if (!isISO8601(value, { strict: true, strictSeparator: true }) || !new HasOffset().validate(value)) return true;
    const { pastYears, futureYears } = args.constraints[0] as YearsAroundNow;
    const at = Date.parse(value as string);
    const now = new Date();
    return at >= yearsFrom(now, -pastYears) && at <= yearsFrom(now, futureYears);
  }

  defaultMessage(args: ValidationArguments): string {
    const { pastYears, futureYears } = args.constraints[0] as YearsAroundNow;
    return `${args.property} must be between ${years(pastYears)} ago and ${years(futureYears)} from now`;
  }
}

function yearsFrom(now: Date, count: number): number {
  const then = new Date(now);
  then.setUTCFullYear(then.getUTCFullYear() + count);
  return then.getTime();
}

function years(count: number): string {
  return count === 1 ? '1 year' : `${count} years`;
}
