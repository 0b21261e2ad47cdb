import { DateTime } from 'luxon';
import { InvalidInputError } from '../../common/errors/domain-errors';

/** A series has at most this many occurrences: each one is a whole event with its own registrations. */
export const MAX_OCCURRENCES = 60;
/** Every occurrence lies within this many years of the first; it also bounds the expansion of a rule that never matches. */
export const HORIZON_YEARS = 10;
export const MAX_RRULE_LENGTH = 500;

/** Frequencies a series may have; sub-daily ones are refused because the time of day comes from startsAt. */
const FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
const SUB_DAILY = ['SECONDLY', 'MINUTELY', 'HOURLY'];
const TIME_PARTS = ['BYHOUR', 'BYMINUTE', 'BYSECOND'];
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

type Freq = (typeof FREQUENCIES)[number];

export interface SeriesExpansion {
  /** The rule as written to the .ics: FREQ first, names upper-case, UNTIL as a UTC date-time (RFC 5545 §3.3.10). */
  rrule: string;
  /** The start instant of each occurrence, the first being startsAt (to the second). */
  starts: Date[];
}

/**
 * Expands an RFC 5545 RRULE value in the event's zone: the rule runs over wall-clock times
 * (16:00 Asia/Seoul, 10:00 Europe/Berlin), and each wall-clock start becomes an instant in the
 * zone of that day, so a weekly 10:00 in Berlin stays 10:00 across the change to summer time
 * while its instant moves by an hour, as a calendar client expanding DTSTART;TZID + RRULE does.
 *
 * The rule is checked strictly here, then expanded (expandRule) over "floating" dates: UTC Date
 * objects whose fields are the wall-clock time, which keeps the arithmetic free of any zone.
 * Refuses (InvalidInputError naming rrule or startsAt) a rule without COUNT or UNTIL, with more
 * than MAX_OCCURRENCES occurrences, reaching beyond HORIZON_YEARS, with no occurrence in that
 * window, or whose first occurrence is not startsAt (RFC 5545 §3.8.5.3 leaves such a set undefined).
 */
export function expandSeries(input: { rrule: string; startsAt: Date; timezone: string }): SeriesExpansion {
  const parts = parseRule(input.rrule);
  const zone = input.timezone;
  const first = DateTime.fromJSDate(input.startsAt, { zone }).set({ millisecond: 0 });
  if (!first.isValid) throw new InvalidInputError('timezone', 'must be an IANA time zone such as Asia/Seoul');
  const dtstart = floating(first);
  const horizon = floating(first.plus({ years: HORIZON_YEARS }));

  let until: Date | null = null;
  if (parts.has('UNTIL')) {
    const local = untilInZone(parts.get('UNTIL')!, zone);
    until = floating(local);
    if (until > horizon) throw new InvalidInputError('rrule', `UNTIL must be at most ${HORIZON_YEARS} years after startsAt`);
    parts.set('UNTIL', local.toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'"));
  }

  // Enough occurrences to know the rule gives too many, without expanding it all.
  const dates = expandRule(parts, dtstart, until ?? horizon, MAX_OCCURRENCES + 1);

  if (dates.length > MAX_OCCURRENCES) {
    throw new InvalidInputError('rrule', `gives more than ${MAX_OCCURRENCES} occurrences; use a smaller COUNT or an earlier UNTIL`);
  }
  if (dates.length === 0) {
    throw new InvalidInputError('rrule', until ? 'gives no occurrence from startsAt to UNTIL' : `gives no occurrence within ${HORIZON_YEARS} years from startsAt`);
  }
  const count = parts.has('COUNT') ? Number(parts.get('COUNT')) : null;
  if (count !== null && dates.length < count) {
    throw new InvalidInputError('rrule', `does not reach COUNT=${count} occurrences within ${HORIZON_YEARS} years of startsAt`);
  }
  if (dates[0].getTime() !== dtstart.getTime()) {
    const given = first.toFormat("yyyy-MM-dd'T'HH:mm");
    const ruleFirst = DateTime.fromJSDate(dates[0], { zone: 'utc' }).toFormat("yyyy-MM-dd'T'HH:mm");
    throw new InvalidInputError('startsAt', `(${given} ${zone}) must be the first occurrence of rrule, which gives ${ruleFirst} first`);
  }
  const rrule = [...parts].map(([name, value]) => `${name}=${value}`).join(';');
  return { rrule, starts: dates.map((date) => instantOfWallClock(date, zone)) };
}

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
  const body = value.trim().replace(/^RRULE:/i, '').replace(/;$/, '');
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
  if (SUB_DAILY.includes(freq)) throw new InvalidInputError('rrule', `FREQ=${freq} is not supported: a series repeats daily, weekly, monthly or yearly at the time of startsAt`);
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

const DAY_MS = 86_400_000;

interface ByDay {
  /** The ordinal of 2TU or -1FR; null for a plain weekday. */
  nth: number | null;
  /** 0 = Sunday … 6 = Saturday, as Date.getUTCDay(). */
  weekday: number;
}

interface Rule {
  freq: Freq;
  interval: number;
  /** 0 = Sunday … 6 = Saturday. */
  wkst: number;
  count: number | null;
  byMonth: number[] | null;
  byWeekNo: number[] | null;
  byYearDay: number[] | null;
  byMonthDay: number[] | null;
  byDay: ByDay[] | null;
  bySetPos: number[] | null;
  /** The first day of week 1 of each year (BYWEEKNO), computed once per year. */
  weekOneStarts: Map<number, number>;
}

/**
 * The floating start times of a rule from dtstart up to `until` (inclusive), stopping after
 * `stopAfter` of them (or COUNT). Work is bounded by the window, not by the rule: it walks the
 * periods of the rule (days, weeks, months or years, INTERVAL apart) from the one holding dtstart
 * until a period begins after `until`, looking at each day of each period once. A 10-year window
 * is at most 3,653 days however the rule is written, so a rule that never matches (BYMONTH=2;
 * BYMONTHDAY=31) ends as fast as any other. rrule.js was used before and cannot be bounded so: it
 * checks its `until` only against a date that matched, so such a rule runs day by day to the
 * year 9999 (12 s to 2 min of blocked event loop), whatever `until` or iterator callback it gets.
 *
 * Semantics are those of RFC 5545 §3.3.10 as python-dateutil and rrule.js read them (each BYxxx
 * part keeps the days of the period that match it; missing day parts come from dtstart), with
 * two differences where those libraries leave the RFC: a week of FREQ=WEEKLY is always the whole
 * week from WKST, also the first one, before BYSETPOS picks from it; and BYDAY=MO,2TU means every
 * Monday and the second Tuesday (the libraries keep only days that are both).
 */
export function expandRule(parts: Map<string, string>, dtstart: Date, until: Date, stopAfter: number): Date[] {
  const rule = readRule(parts, dtstart);
  const startDay = Math.floor(dtstart.getTime() / DAY_MS);
  const timeOfDay = dtstart.getTime() - startDay * DAY_MS;
  const lastDay = Math.floor(until.getTime() / DAY_MS);
  const starts: Date[] = [];
  for (let index = 0; ; index++) {
    const [firstDay, endDay] = period(rule, startDay, index);
    if (firstDay > lastDay) return starts;
    let days: number[] = [];
    for (let day = firstDay; day < endDay; day++) if (matches(rule, day)) days.push(day);
    if (rule.bySetPos) days = pickPositions(days, rule.bySetPos);
    for (const day of days) {
      const start = day * DAY_MS + timeOfDay;
      if (start > until.getTime()) return starts;
      if (start < dtstart.getTime()) continue;
      starts.push(new Date(start));
      if (starts.length === rule.count || starts.length >= stopAfter) return starts;
    }
  }
}

/** The parts of a rule checked by parseRule, as numbers, with the day parts that are missing taken from dtstart. */
function readRule(parts: Map<string, string>, dtstart: Date): Rule {
  const numbers = (name: string) => (parts.has(name) ? parts.get(name)!.split(',').map(Number) : null);
  const rule: Rule = {
    freq: parts.get('FREQ') as Freq,
    interval: Number(parts.get('INTERVAL') ?? 1),
    wkst: WEEKDAYS.indexOf(parts.get('WKST') ?? 'MO'),
    count: parts.has('COUNT') ? Number(parts.get('COUNT')) : null,
    byMonth: numbers('BYMONTH'),
    byWeekNo: numbers('BYWEEKNO'),
    byYearDay: numbers('BYYEARDAY'),
    byMonthDay: numbers('BYMONTHDAY'),
    byDay: parts.has('BYDAY')
      ? parts
          .get('BYDAY')!
          .split(',')
          .map((item) => {
            const [, nth, weekday] = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(item)!;
            return { nth: nth === undefined ? null : Number(nth), weekday: WEEKDAYS.indexOf(weekday) };
          })
      : null,
    bySetPos: numbers('BYSETPOS'),
    weekOneStarts: new Map(),
  };
  // RFC 5545 §3.3.10: what the rule leaves open comes from DTSTART (its day of the month, its month, its weekday).
  if (!rule.byWeekNo && !rule.byYearDay && !rule.byMonthDay && !rule.byDay) {
    if (rule.freq === 'YEARLY') {
      rule.byMonth ??= [dtstart.getUTCMonth() + 1];
      rule.byMonthDay = [dtstart.getUTCDate()];
    } else if (rule.freq === 'MONTHLY') {
      rule.byMonthDay = [dtstart.getUTCDate()];
    } else if (rule.freq === 'WEEKLY') {
      rule.byDay = [{ nth: null, weekday: dtstart.getUTCDay() }];
    }
  }
  return rule;
}

/** The days [first, end) of the index-th period of the rule: a day, a week from WKST, a month or a year, INTERVAL apart. */
function period(rule: Rule, startDay: number, index: number): [number, number] {
  const step = index * rule.interval;
  const start = new Date(startDay * DAY_MS);
  switch (rule.freq) {
    case 'DAILY':
      return [startDay + step, startDay + step + 1];
    case 'WEEKLY': {
      const weekStart = startDay - ((start.getUTCDay() - rule.wkst + 7) % 7) + 7 * step;
      return [weekStart, weekStart + 7];
    }
    case 'MONTHLY': {
      const year = start.getUTCFullYear();
      const month = start.getUTCMonth() + step;
      return [dayNumber(year, month, 1), dayNumber(year, month + 1, 1)];
    }
    case 'YEARLY': {
      const year = start.getUTCFullYear() + step;
      return [dayNumber(year, 0, 1), dayNumber(year + 1, 0, 1)];
    }
  }
}

/** Whether a day passes every BYxxx part of the rule (BYSETPOS aside). */
function matches(rule: Rule, day: number): boolean {
  const date = new Date(day * DAY_MS);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const dayOfMonth = date.getUTCDate();
  const monthLength = dayNumber(year, month + 1, 1) - dayNumber(year, month, 1);
  const dayOfYear = day - dayNumber(year, 0, 1) + 1;
  const yearLength = dayNumber(year + 1, 0, 1) - dayNumber(year, 0, 1);
  // A negative value counts from the end: -1 is the last.
  const isAt = (value: number, position: number, length: number) => (value > 0 ? position === value : position === length + value + 1);

  if (rule.byMonth && !rule.byMonth.includes(month + 1)) return false;
  if (rule.byWeekNo && !rule.byWeekNo.some((value) => matchesWeekNo(rule, day, year, value))) return false;
  if (rule.byYearDay && !rule.byYearDay.some((value) => isAt(value, dayOfYear, yearLength))) return false;
  if (rule.byMonthDay && !rule.byMonthDay.some((value) => isAt(value, dayOfMonth, monthLength))) return false;
  if (rule.byDay) {
    // An ordinal counts within the month (FREQ=MONTHLY, or YEARLY with BYMONTH), otherwise within the year.
    const inMonth = rule.freq === 'MONTHLY' || (rule.freq === 'YEARLY' && rule.byMonth !== null);
    const [position, length] = inMonth ? [dayOfMonth, monthLength] : [dayOfYear, yearLength];
    const weekday = date.getUTCDay();
    const ok = rule.byDay.some(
      (entry) =>
        entry.weekday === weekday &&
        (entry.nth === null || (entry.nth > 0 ? Math.ceil(position / 7) === entry.nth : Math.ceil((length - position + 1) / 7) === -entry.nth)),
    );
    if (!ok) return false;
  }
  return true;
}

/**
 * BYWEEKNO as ISO 8601 numbers its weeks, starting on WKST (RFC 5545 §3.3.10): week 1 is the first
 * with at least four days in the year, so early January may belong to the previous year's last
 * week, and late December to next year's week 1.
 */
function matchesWeekNo(rule: Rule, day: number, year: number, value: number): boolean {
  let weekYear = year;
  if (day >= weekOneStart(rule, year + 1)) weekYear = year + 1;
  else if (day < weekOneStart(rule, year)) weekYear = year - 1;
  const first = weekOneStart(rule, weekYear);
  const weeks = (weekOneStart(rule, weekYear + 1) - first) / 7;
  const week = Math.floor((day - first) / 7) + 1;
  return value > 0 ? week === value : week === weeks + value + 1;
}

function weekOneStart(rule: Rule, year: number): number {
  let start = rule.weekOneStarts.get(year);
  if (start === undefined) {
    const januaryFirst = dayNumber(year, 0, 1);
    const intoWeek = (new Date(januaryFirst * DAY_MS).getUTCDay() - rule.wkst + 7) % 7;
    start = intoWeek <= 3 ? januaryFirst - intoWeek : januaryFirst - intoWeek + 7;
    rule.weekOneStarts.set(year, start);
  }
  return start;
}

/** BYSETPOS: the n-th (or n-th last) of the period's days, each once, in order. */
function pickPositions(days: number[], positions: number[]): number[] {
  const picked = new Set<number>();
  for (const position of positions) {
    const day = days[position > 0 ? position - 1 : days.length + position];
    if (day !== undefined) picked.add(day);
  }
  return [...picked].sort((a, b) => a - b);
}

/** Days since 1970-01-01 of a calendar date; months past 11 roll into the next years (Date.UTC does). */
function dayNumber(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month, day) / DAY_MS);
}

/**
 * UNTIL in the event's zone: a UTC date-time as is; a date is the end of that day; a local
 * date-time (which RFC 5545 allows only with a floating DTSTART) is read as the zone's wall clock.
 */
function untilInZone(value: string, zone: string): DateTime {
  const [date, time] = value.split('T');
  const fields = { year: Number(date.slice(0, 4)), month: Number(date.slice(4, 6)), day: Number(date.slice(6, 8)) };
  const clock = time
    ? { hour: Number(time.slice(0, 2)), minute: Number(time.slice(2, 4)), second: Number(time.slice(4, 6)) }
    : { hour: 23, minute: 59, second: 59 };
  const check = DateTime.fromObject({ ...fields, ...clock }, { zone: 'utc' });
  if (!check.isValid) throw new InvalidInputError('rrule', `UNTIL=${value} is not a valid date`);
  if (time?.endsWith('Z')) return check.setZone(zone);
  return DateTime.fromJSDate(instantOfWallClock(check.toJSDate(), zone), { zone });
}

/** The wall-clock fields of a zoned time as a UTC Date ("floating"), for rrule.js. */
function floating(time: DateTime): Date {
  return new Date(Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second));
}

/**
 * The instant at which a zone's clocks show the given wall-clock time (read from a floating
 * Date's UTC fields). RFC 5545 §3.3.5: a time that occurs twice (clocks set back) is the first
 * of the two; a time that does not exist (clocks set forward) is read with the offset before the
 * gap, i.e. it moves forward by the gap (02:30 → 03:30), which is what luxon does.
 */
export function instantOfWallClock(wall: Date, zone: string): Date {
  const fields = {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
  const resolved = DateTime.fromObject(fields, { zone });
  // The other reading of an ambiguous time lies within a few hours: try the offsets around it.
  const candidates = [-6, 0, 6]
    .map((hours) => resolved.plus({ hours }).offset)
    .map((offset) => wall.getTime() - offset * 60_000)
    .filter((instant) => {
      const local = DateTime.fromMillis(instant, { zone });
      return local.hour === fields.hour && local.minute === fields.minute && local.day === fields.day && local.second === fields.second;
    });
  return new Date(candidates.length > 0 ? Math.min(...candidates) : resolved.toMillis());
}
