import type { TemplateLocale } from './template-renderer.service';

/**
 * An instant as people read it, always in the event's zone:
 * ko "2027년 3월 10일 (수) 오후 2:00", en "Wed, 10 March 2027, 2:00 PM".
 */
export function formatDateTime(instant: Date, timeZone: string, locale: TemplateLocale): string {
  const p = wallClock(instant, timeZone);
  if (locale === 'ko') {
    return `${p.year}년 ${p.month}월 ${p.day}일 (${KO_WEEKDAYS[p.weekday]}) ${clock(p.hour, p.minute, locale)}`;
  }
  return `${EN_WEEKDAYS[p.weekday]}, ${p.day} ${EN_MONTHS[p.month - 1]} ${p.year}, ${clock(p.hour, p.minute, locale)}`;
}

/** Time of day only, for the end of an event on the same day: ko "오후 4:00", en "4:00 PM". */
export function formatTime(instant: Date, timeZone: string, locale: TemplateLocale): string {
  const p = wallClock(instant, timeZone);
  return clock(p.hour, p.minute, locale);
}

/** "… 2:00 PM – 4:00 PM (Asia/Seoul)" on one day, full date and time on both ends otherwise. */
export function formatEventTime(startsAt: Date, endsAt: Date, timeZone: string, locale: TemplateLocale): string {
  const start = wallClock(startsAt, timeZone);
  const finish = wallClock(endsAt, timeZone);
  const sameDay = start.year === finish.year && start.month === finish.month && start.day === finish.day;
  const end = sameDay ? formatTime(endsAt, timeZone, locale) : formatDateTime(endsAt, timeZone, locale);
  return `${formatDateTime(startsAt, timeZone, locale)} – ${end} (${timeZone})`;
}

const KO_WEEKDAYS = ['일', '월', '화', '수', '목', '금', '토'];
const EN_WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function clock(hour: number, minute: number, locale: TemplateLocale): string {
  const hour12 = hour % 12 === 0 ? 12 : hour % 12;
  const mm = String(minute).padStart(2, '0');
  if (locale === 'ko') return `${hour < 12 ? '오전' : '오후'} ${hour12}:${mm}`;
  return `${hour12}:${mm} ${hour < 12 ? 'AM' : 'PM'}`;
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
 * words are ours: ICU builds differ in their Korean day periods, our emails must not.
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
