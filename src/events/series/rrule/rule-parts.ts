import { InvalidInputError } from '../../../common/errors/domain-errors';

/** A series has at most this many occurrences: each one is a whole event with its own registrations. */
export const MAX_OCCURRENCES = 60;
/** Every occurrence lies within this many years of the first; it also bounds the expansion of a rule that never matches. */
export const HORIZON_YEARS = 10;
export const MAX_RRULE_LENGTH = 500;

/** Frequencies a series may have; sub-daily ones are refused because the time of day comes from startsAt. */
const FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
const SUB_DAILY = ['SECONDLY', 'MINUTELY', 'HOURLY'];
const TIME_PARTS = ['BYHOUR', 'BYMINUTE', 'BYSECOND'];
export const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

export type Freq = (typeof FREQUENCIES)[number];

/**
 * Reads an RRULE value (an optional "RRULE:" prefix is allowed) into its parts, FREQ first,
 * checking the grammar of RFC 5545 §3.3.10 and the limits of a series.
 */
export function parseRule(value: string): Map<string, string> {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidInputError('rrule', 'must be an RRULE value such as FREQ=MONTHLY;BYDAY=2TU;COUNT=12');
  if (value.length > MAX_RRULE_LENGTH) throw new InvalidInputError('rrule', `must be at most ${MAX_RRULE_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/u.test(value)) throw new InvalidInputError('rrule', 'must be a single line without control characters');
  // A trailing ";" is harmless and common in copied rules.
  const body = value
    .trim()
    .replace(/^RRULE:/i, '')
    .replace(/;$/, '');
  const given = new Map<string, string>();
  for (const part of body.split(';')) {
    const match = /^([A-Za-z]+)=([^=;]+)$/.exec(part.trim());
    if (!match) throw new InvalidInputError('rrule', `has a malformed part "${part}" (expected NAME=VALUE, separated by ;)`);
    const name = match[1].toUpperCase();
    if (given.has(name)) throw new InvalidInputError('rrule', `names ${name} twice`);
    given.set(name, match[2].trim().toUpperCase());
  }

  const freq = given.get('FREQ');
  if (!freq) throw new InvalidInputError('rrule', 'needs FREQ (DAILY, WEEKLY, MONTHLY or YEARLY)');
  if (SUB_DAILY.includes(freq))
    throw new InvalidInputError('rrule', `FREQ=${freq} is not supported: a series repeats daily, weekly, monthly or yearly at the time of startsAt`);
  if (!(FREQUENCIES as readonly string[]).includes(freq)) throw new InvalidInputError('rrule', 'FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY');

  for (const [name, raw] of given) {
    if (TIME_PARTS.includes(name)) throw new InvalidInputError('rrule', `must not have ${name}: the time of day comes from startsAt`);
    const check = CHECKS[name];
    if (!check) throw new InvalidInputError('rrule', `has an unknown part ${name}`);
    const problem = check(raw, freq as Freq);
    if (problem) throw new InvalidInputError('rrule', `${name}=${raw}: ${problem}`);
  }
  if (given.has('COUNT') && given.has('UNTIL')) throw new InvalidInputError('rrule', 'must not have both COUNT and UNTIL (RFC 5545 §3.3.10)');
  if (!given.has('COUNT') && !given.has('UNTIL')) {
    throw new InvalidInputError('rrule', `needs COUNT or UNTIL: a series has at most ${MAX_OCCURRENCES} occurrences`);
  }
  if (given.has('BYWEEKNO') && /\d/.test(given.get('BYDAY') ?? '')) {
    throw new InvalidInputError('rrule', 'BYDAY must not have an ordinal together with BYWEEKNO (RFC 5545 §3.3.10)');
  }
  if (given.has('BYSETPOS') && ![...given.keys()].some((name) => name.startsWith('BY') && name !== 'BYSETPOS')) {
    throw new InvalidInputError('rrule', 'BYSETPOS needs another BYxxx part to select from');
  }
  return new Map([['FREQ', freq], ...[...given].filter(([name]) => name !== 'FREQ')]);
}

type Check = (value: string, freq: Freq) => string | null;

const integerList =
  (min: number, max: number, options: { signed: boolean; only?: Freq[]; not?: Freq[] }): Check =>
  (value, freq) => {
    if (options.only && !options.only.includes(freq)) return `only allowed with FREQ=${options.only.join(' or FREQ=')}`;
    if (options.not?.includes(freq)) return `not allowed with FREQ=${freq}`;
    const pattern = options.signed ? /^[+-]?\d{1,3}$/ : /^\d{1,3}$/;
    const ok = value.split(',').every((item) => pattern.test(item) && Math.abs(Number(item)) >= min && Math.abs(Number(item)) <= max);
    return ok ? null : `must be a comma-separated list of ${options.signed ? `±${min}..${max}` : `${min}..${max}`}`;
  };

const CHECKS: Record<string, Check> = {
  FREQ: () => null,
  COUNT: (value) => {
    if (!/^\d{1,6}$/.test(value) || Number(value) < 1) return 'must be a positive whole number';
    return Number(value) > MAX_OCCURRENCES ? `must be at most ${MAX_OCCURRENCES}` : null;
  },
  UNTIL: (value) => (/^\d{8}(T\d{6}Z?)?$/.test(value) ? null : 'must be a date (20271231) or a UTC date-time (20271231T150000Z)'),
  INTERVAL: (value) => (/^\d{1,4}$/.test(value) && Number(value) >= 1 ? null : 'must be a whole number from 1'),
  BYDAY: (value, freq) => {
    for (const item of value.split(',')) {
      const match = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(item);
      if (!match || !WEEKDAYS.includes(match[2])) return 'must be a comma-separated list of weekdays (MO, TU, …), e.g. 2TU or -1FR';
      if (match[1] !== undefined) {
        const ordinal = Math.abs(Number(match[1]));
        if (ordinal < 1 || ordinal > 53) return 'the ordinal of a weekday must be ±1..53';
        if (freq !== 'MONTHLY' && freq !== 'YEARLY') return 'an ordinal weekday (such as 2TU) needs FREQ=MONTHLY or FREQ=YEARLY';
      }
    }
    return null;
  },
  BYMONTHDAY: integerList(1, 31, { signed: true, not: ['WEEKLY'] }),
  BYYEARDAY: integerList(1, 366, { signed: true, only: ['YEARLY'] }),
  BYWEEKNO: integerList(1, 53, { signed: true, only: ['YEARLY'] }),
  BYMONTH: integerList(1, 12, { signed: false }),
  BYSETPOS: integerList(1, 366, { signed: true }),
  WKST: (value) => (WEEKDAYS.includes(value) ? null : 'must be a weekday (MO, TU, …)'),
};
