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
