import { DAY_MS, dayNumber, matches, pickPositions, Rule } from './day-filters';
import { Freq, WEEKDAYS } from './rule-parts';

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
