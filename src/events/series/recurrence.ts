import { DateTime } from 'luxon';
import { InvalidInputError } from '../../common/errors/domain-errors';
import { expandRule } from './rrule/expand-rule';
import { HORIZON_YEARS, MAX_OCCURRENCES, parseRule } from './rrule/rule-parts';
import { floating, instantOfWallClock, untilInZone } from './rrule/wall-clock';

// The expander's parts, one file each: the rule's grammar and limits (rule-parts), the walk over
// periods (expand-rule), the BYxxx filters of one day (day-filters), wall-clock time in a zone (wall-clock).
export { expandRule } from './rrule/expand-rule';
export { HORIZON_YEARS, MAX_OCCURRENCES, MAX_RRULE_LENGTH, parseRule } from './rrule/rule-parts';
export { instantOfWallClock } from './rrule/wall-clock';

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
    throw new InvalidInputError(
      'rrule',
      until ? 'gives no occurrence from startsAt to UNTIL' : `gives no occurrence within ${HORIZON_YEARS} years from startsAt`,
    );
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
