import { DateTime } from 'luxon';
import { InvalidInputError } from '../../../common/errors/domain-errors';

/**
 * UNTIL in the event's zone: a UTC date-time as is; a date is the end of that day; a local
 * date-time (which RFC 5545 allows only with a floating DTSTART) is read as the zone's wall clock.
 */
export function untilInZone(value: string, zone: string): DateTime {
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
export function floating(time: DateTime): Date {
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
