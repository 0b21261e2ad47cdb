import type { StringTable } from './string-table';

/**
 * An instant as people read it, always in the event's zone, in the words and order of the
 * table's `date` section: ko "2027년 3월 10일 (수) 오후 2:00", en "Wed, 10 March 2027, 2:00 PM".
 */
export function formatDateTime(instant: Date, timeZone: string, strings: StringTable): string {
  const p = wallClock(instant, timeZone);
  const words = strings.date;
  return words.dateTime({
    year: p.year,
    month: p.month,
    monthName: words.months[p.month - 1],
    day: p.day,
    weekday: words.weekdays[p.weekday],
    time: clock(p.hour, p.minute, strings),
  });
}

/** Time of day only, for the end of an event on the same day: ko "오후 4:00", en "4:00 PM". */
export function formatTime(instant: Date, timeZone: string, strings: StringTable): string {
  const p = wallClock(instant, timeZone);
  return clock(p.hour, p.minute, strings);
}

/** "… 2:00 PM – 4:00 PM (Asia/Seoul)" on one day, full date and time on both ends otherwise. */
export function formatEventTime(startsAt: Date, endsAt: Date, timeZone: string, strings: StringTable): string {
  const start = wallClock(startsAt, timeZone);
  const finish = wallClock(endsAt, timeZone);
  const sameDay = start.year === finish.year && start.month === finish.month && start.day === finish.day;
  const end = sameDay ? formatTime(endsAt, timeZone, strings) : formatDateTime(endsAt, timeZone, strings);
  return strings.date.range({ start: formatDateTime(startsAt, timeZone, strings), end, zone: timeZone });
}

const EN_WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function clock(hour: number, minute: number, strings: StringTable): string {
  const words = strings.date;
  return words.time({
    hour,
    hour2: String(hour).padStart(2, '0'),
    hour12: hour % 12 === 0 ? 12 : hour % 12,
    minute: String(minute).padStart(2, '0'),
    period: hour < 12 ? words.am : words.pm,
  });
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

/**
 * The wall-clock fields of an instant in a zone. Only numbers are taken from Intl, and the
 * words come from the string tables: ICU builds differ in their Korean day periods, our emails must not.
 */
export function wallClock(instant: Date, timeZone: string): WallClock {
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) fields[part.type] = part.value;
  return {
    year: Number(fields.year),
    month: Number(fields.month),
    day: Number(fields.day),
    hour: Number(fields.hour),
    minute: Number(fields.minute),
    // Intl's own weekday names (en-US) are only read back as a number here.
    weekday: EN_WEEKDAYS.indexOf(fields.weekday),
  };
}

// Building an Intl.DateTimeFormat costs far more than using one (bench/: ~8% of the mail worker's CPU).
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let format = FORMATTERS.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
    weekday: 'short',
    });
    FORMATTERS.set(timeZone, format);
  }
  return format;
}
