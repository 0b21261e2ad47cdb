import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { InvalidInputError } from '../../common/errors/domain-errors';
import { expandSeries, instantOfWallClock, MAX_OCCURRENCES } from './recurrence';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());
const wallClock = (dates: Date[], zone: string) => dates.map((date) => DateTime.fromJSDate(date, { zone }).toFormat("yyyy-MM-dd'T'HH:mm ZZ"));

function refusal(input: { rrule: string; startsAt: Date; timezone: string }): InvalidInputError {
  try {
    expandSeries(input);
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error(`expected ${input.rrule} to be refused`);
}

/** Expands the same DTSTART;TZID + RRULE with ical.js, an independent implementation, for comparison. */
function expandWithIcalJs(startsAt: Date, zone: string, rrule: string, max = 100): string[] {
  const local = DateTime.fromJSDate(startsAt, { zone }).toFormat("yyyyMMdd'T'HHmmss");
  const text = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//test//EN',
    getVtimezoneComponent(zone)!.trim(),
    'BEGIN:VEVENT',
    'UID:x',
    'DTSTAMP:20270101T000000Z',
    `DTSTART;TZID=${zone}:${local}`,
    `RRULE:${rrule}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ].join('\r\n');
  const root = new ICAL.Component(ICAL.parse(text));
  for (const vtimezone of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtimezone);
  const iterator = new ICAL.Event(root.getFirstSubcomponent('vevent')!).iterator();
  const out: string[] = [];
  for (let next = iterator.next(); next && out.length < max; next = iterator.next()) out.push(next.toJSDate().toISOString());
  return out;
}

describe('expandSeries', () => {
  afterEach(() => ICAL.TimezoneService.reset());

  it('expands "monthly, second Tuesday, 16:00 KST" for 12 months to the exact instants', () => {
    const { rrule, starts } = expandSeries({ rrule: 'FREQ=MONTHLY;BYDAY=2TU;COUNT=12', startsAt: new Date('2027-01-12T16:00:00+09:00'), timezone: 'Asia/Seoul' });
    expect(rrule).toBe('FREQ=MONTHLY;BYDAY=2TU;COUNT=12');
    expect(iso(starts)).toEqual([
      '2027-01-12T07:00:00.000Z',
      '2027-02-09T07:00:00.000Z',
      '2027-03-09T07:00:00.000Z',
      '2027-04-13T07:00:00.000Z',
      '2027-05-11T07:00:00.000Z',
      '2027-06-08T07:00:00.000Z',
      '2027-07-13T07:00:00.000Z',
      '2027-08-10T07:00:00.000Z',
      '2027-09-14T07:00:00.000Z',
      '2027-10-12T07:00:00.000Z',
      '2027-11-09T07:00:00.000Z',
      '2027-12-14T07:00:00.000Z',
    ]);
    for (const start of starts) {
      const local = DateTime.fromJSDate(start, { zone: 'Asia/Seoul' });
      expect([local.weekday, local.hour, local.minute, Math.ceil(local.day / 7)]).toEqual([2, 16, 0, 2]);
    }
  });

  it('keeps the wall clock of a zone with daylight saving time: weekly 10:00 Berlin across late March', () => {
    // Europe/Berlin moves to summer time on Sunday 2027-03-28.
    const { starts } = expandSeries({ rrule: 'FREQ=WEEKLY;COUNT=4', startsAt: new Date('2027-03-11T10:00:00+01:00'), timezone: 'Europe/Berlin' });
    expect(iso(starts)).toEqual(['2027-03-11T09:00:00.000Z', '2027-03-18T09:00:00.000Z', '2027-03-25T09:00:00.000Z', '2027-04-01T08:00:00.000Z']);
    expect(wallClock(starts, 'Europe/Berlin')).toEqual([
      '2027-03-11T10:00 +01:00',
      '2027-03-18T10:00 +01:00',
      '2027-03-25T10:00 +01:00',
      '2027-04-01T10:00 +02:00',
    ]);
  });

  it('gives the same instants as ical.js expanding DTSTART;TZID with the rule', () => {
    const cases: [string, string, string][] = [
      ['2027-01-12T16:00:00+09:00', 'Asia/Seoul', 'FREQ=MONTHLY;BYDAY=2TU;COUNT=12'],
      ['2027-03-11T10:00:00+01:00', 'Europe/Berlin', 'FREQ=WEEKLY;COUNT=8'],
      ['2027-10-01T18:30:00+02:00', 'Europe/Berlin', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;UNTIL=20280301T000000Z'],
      ['2027-01-29T09:00:00-05:00', 'America/New_York', 'FREQ=MONTHLY;BYDAY=-1FR;COUNT=14'],
      ['2027-01-29T14:00:00+09:00', 'Asia/Seoul', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=12'],
      ['2027-01-05T16:00:00+09:00', 'Asia/Seoul', 'FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20270331'],
    ];
    for (const [startsAt, timezone, rule] of cases) {
      const { rrule, starts } = expandSeries({ rrule: rule, startsAt: new Date(startsAt), timezone });
      expect([rule, iso(starts)]).toEqual([rule, expandWithIcalJs(new Date(startsAt), timezone, rrule)]);
    }
  });

  it('writes UNTIL as a UTC date-time: a date is the end of that day in the zone', () => {
    const start = new Date('2027-01-05T16:00:00+09:00');
    const byDate = expandSeries({ rrule: 'freq=weekly;until=20270126', startsAt: start, timezone: 'Asia/Seoul' });
    expect(byDate.rrule).toBe('FREQ=WEEKLY;UNTIL=20270126T145959Z');
    expect(byDate.starts).toHaveLength(4);
    // UNTIL is inclusive: the 26th at 16:00 KST is 07:00Z.
    expect(expandSeries({ rrule: 'RRULE:UNTIL=20270126T070000Z;FREQ=WEEKLY', startsAt: start, timezone: 'Asia/Seoul' })).toEqual({
      rrule: 'FREQ=WEEKLY;UNTIL=20270126T070000Z',
      starts: byDate.starts,
    });
    expect(expandSeries({ rrule: 'FREQ=WEEKLY;UNTIL=20270126T065959Z', startsAt: start, timezone: 'Asia/Seoul' }).starts).toHaveLength(3);
  });

  it('reads a time that occurs twice as the first of the two, and a time that does not exist as after the gap (RFC 5545 §3.3.5)', () => {
    // 2027-10-31 02:30 happens at +02:00 and again at +01:00 in Berlin; 2027-03-28 02:30 never happens.
    expect(instantOfWallClock(new Date(Date.UTC(2027, 9, 31, 2, 30)), 'Europe/Berlin').toISOString()).toBe('2027-10-31T00:30:00.000Z');
    expect(instantOfWallClock(new Date(Date.UTC(2027, 2, 28, 2, 30)), 'Europe/Berlin').toISOString()).toBe('2027-03-28T01:30:00.000Z');
    expect(instantOfWallClock(new Date(Date.UTC(2027, 0, 12, 16, 0)), 'Asia/Seoul').toISOString()).toBe('2027-01-12T07:00:00.000Z');
    const { starts } = expandSeries({ rrule: 'FREQ=WEEKLY;COUNT=3', startsAt: new Date('2027-10-24T02:30:00+02:00'), timezone: 'Europe/Berlin' });
    expect(iso(starts)).toEqual(['2027-10-24T00:30:00.000Z', '2027-10-31T00:30:00.000Z', '2027-11-07T01:30:00.000Z']);
  });

  it.each([
    ['FREQ=MONTHLY;BYDAY=2TU', 'rrule', /needs COUNT or UNTIL/],
    [`FREQ=DAILY;COUNT=${MAX_OCCURRENCES + 1}`, 'rrule', /COUNT=61: must be at most 60/],
    ['FREQ=DAILY;UNTIL=20271231', 'rrule', /more than 60 occurrences/],
    ['FREQ=DAILY;COUNT=3;UNTIL=20270201', 'rrule', /both COUNT and UNTIL/],
    ['FREQ=HOURLY;COUNT=3', 'rrule', /FREQ=HOURLY is not supported/],
    ['FREQ=FORTNIGHTLY;COUNT=3', 'rrule', /FREQ must be/],
    ['COUNT=3', 'rrule', /needs FREQ/],
    ['FREQ=DAILY;COUNT=3;BYHOUR=9', 'rrule', /BYHOUR: the time of day comes from startsAt/],
    ['FREQ=DAILY;COUNT=3;COLOR=RED', 'rrule', /unknown part COLOR/],
    ['FREQ=DAILY;COUNT=3;COUNT=4', 'rrule', /names COUNT twice/],
    ['FREQ=WEEKLY;BYDAY=XX;COUNT=3', 'rrule', /BYDAY=XX/],
    ['FREQ=WEEKLY;BYDAY=2TU;COUNT=3', 'rrule', /needs FREQ=MONTHLY or FREQ=YEARLY/],
    ['FREQ=MONTHLY;COUNT=abc', 'rrule', /COUNT=ABC: must be a positive whole number/],
    ['FREQ=MONTHLY;COUNT=0', 'rrule', /COUNT=0/],
    ['FREQ=MONTHLY;INTERVAL=0;COUNT=2', 'rrule', /INTERVAL=0/],
    ['FREQ=MONTHLY;BYMONTHDAY=32;COUNT=2', 'rrule', /BYMONTHDAY=32/],
    ['FREQ=MONTHLY;UNTIL=20271340', 'rrule', /UNTIL=20271340 is not a valid date/],
    ['FREQ=MONTHLY;UNTIL=2027-12-31', 'rrule', /UNTIL=2027-12-31: must be a date/],
    ['FREQ=YEARLY;UNTIL=20400101', 'rrule', /at most 10 years after startsAt/],
    ['FREQ=YEARLY;COUNT=12', 'rrule', /does not reach COUNT=12 occurrences within 10 years/],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=2', 'rrule', /gives no occurrence/],
    ['FREQ=MONTHLY;BYSETPOS=1;COUNT=2', 'rrule', /BYSETPOS needs another/],
    ['FREQ=MONTHLY;UNTIL=20261231', 'rrule', /gives no occurrence/],
    ['FREQ=MONTHLY;BYDAY=2WE;COUNT=12', 'startsAt', /must be the first occurrence of rrule, which gives 2027-01-13T16:00 first/],
    ['FREQ=MONTHLY;;COUNT=2', 'rrule', /malformed part/],
    ['FREQ=MONTHLY\r\nCOUNT=2', 'rrule', /single line/],
    ['', 'rrule', /must be an RRULE value/],
  ])('refuses %s, naming %s', (rule, field, message) => {
    const error = refusal({ rrule: rule, startsAt: new Date('2027-01-12T16:00:00+09:00'), timezone: 'Asia/Seoul' });
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(`${field} `)).toBe(true);
  });
});
