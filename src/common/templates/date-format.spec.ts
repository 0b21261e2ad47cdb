import { resolve } from 'node:path';
import { loadStringTables } from './string-table';
import { formatDateTime, formatEventTime } from './date-format';

// The words are the string tables' (templates/locales), as in the app.
const tables = loadStringTables(resolve(__dirname, '../../../templates'));
const ko = tables.get('ko')!;
const en = tables.get('en')!;

describe('date formats', () => {
  const start = new Date('2027-03-10T05:00:00Z'); // 14:00 in Seoul

  it('writes Korean dates the way Korean readers expect', () => {
    expect(formatDateTime(start, 'Asia/Seoul', ko)).toBe('2027년 3월 10일 (수) 오후 2:00');
    expect(formatDateTime(new Date('2027-03-09T15:05:00Z'), 'Asia/Seoul', ko)).toBe('2027년 3월 10일 (수) 오전 12:05');
  });

  it('writes English dates', () => {
    expect(formatDateTime(start, 'Asia/Seoul', en)).toBe('Wed, 10 March 2027, 2:00 PM');
  });

  it('always uses the event zone, also across daylight saving', () => {
    // Berlin changes to summer time on 28 March 2027: 10:00 local is 09:00Z before and 08:00Z after.
    expect(formatDateTime(new Date('2027-03-26T09:00:00Z'), 'Europe/Berlin', en)).toBe('Fri, 26 March 2027, 10:00 AM');
    expect(formatDateTime(new Date('2027-03-29T08:00:00Z'), 'Europe/Berlin', en)).toBe('Mon, 29 March 2027, 10:00 AM');
  });

  it('gives a same-day range with the end as a time only', () => {
    expect(formatEventTime(start, new Date('2027-03-10T07:00:00Z'), 'Asia/Seoul', ko)).toBe(
      '2027년 3월 10일 (수) 오후 2:00 – 오후 4:00 (Asia/Seoul)',
    );
  });
});
