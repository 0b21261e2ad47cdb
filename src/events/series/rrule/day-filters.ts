import type { Freq } from './rule-parts';

// A day is a day number (days since 1970-01-01) of a floating date; see expand-rule.ts.

export const DAY_MS = 86_400_000;

export interface ByDay {
  /** The ordinal of 2TU or -1FR; null for a plain weekday. */
  nth: number | null;
  /** 0 = Sunday … 6 = Saturday, as Date.getUTCDay(). */
  weekday: number;
}

export interface Rule {
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

/** Whether a day passes every BYxxx part of the rule (BYSETPOS aside). */
export function matches(rule: Rule, day: number): boolean {
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
export function pickPositions(days: number[], positions: number[]): number[] {
  const picked = new Set<number>();
  for (const position of positions) {
    const day = days[position > 0 ? position - 1 : days.length + position];
    if (day !== undefined) picked.add(day);
  }
  return [...picked].sort((a, b) => a - b);
}

/** Days since 1970-01-01 of a calendar date; months past 11 roll into the next years (Date.UTC does). */
export function dayNumber(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month, day) / DAY_MS);
}
