import { resolve } from 'node:path';
import { loadStringTables } from '../../common/templates/string-table';
import { describeChanges, startsIn } from './mail-kind-context';

// The words are the string tables' (templates/locales), as in the app.
const tables = loadStringTables(resolve(__dirname, '../../../templates'));
const ko = tables.get('ko')!;
const en = tables.get('en')!;

describe('update mail: what changed, old → new', () => {
  const previous = {
    title: 'AI 세미나',
    description: 'a',
    startsAt: '2027-03-26T09:00:00.000Z',
    endsAt: '2027-03-26T10:00:00.000Z',
    timezone: 'Europe/Berlin',
    venue: 'Room A',
    onlineUrl: null,
  };

  it('formats the old and new times in the event zone, for the reader, across a DST change', () => {
    const current = { ...previous, startsAt: '2027-03-29T08:00:00.000Z', endsAt: '2027-03-29T09:00:00.000Z' };
    expect(describeChanges({ previous, current }, en)).toEqual([
      {
        label: 'When',
        from: 'Fri, 26 March 2027, 10:00 AM – 11:00 AM (Europe/Berlin)',
        to: 'Mon, 29 March 2027, 10:00 AM – 11:00 AM (Europe/Berlin)',
      },
    ]);
    expect(describeChanges({ previous, current }, ko)[0]).toEqual({
      label: '일시',
      from: '2027년 3월 26일 (금) 오전 10:00 – 오전 11:00 (Europe/Berlin)',
      to: '2027년 3월 29일 (월) 오전 10:00 – 오전 11:00 (Europe/Berlin)',
    });
  });

  it('lists place and title changes, a cleared value as none, and a new description without quoting it', () => {
    const current = { ...previous, title: 'AI 세미나 (2부)', venue: null, onlineUrl: 'https://meet.example.com/x', description: 'b' };
    expect(describeChanges({ previous, current }, ko)).toEqual([
      { label: '행사명', from: 'AI 세미나', to: 'AI 세미나 (2부)' },
      { label: '장소', from: 'Room A', to: '(없음)' },
      { label: '온라인', from: '(없음)', to: 'https://meet.example.com/x' },
      { label: '안내', from: null, to: null },
    ]);
  });

  it('names a changed programme without quoting it (the calendar entry carries the new one)', () => {
    expect(describeChanges({ previous, current: previous, changed: ['agenda'] }, en)).toEqual([{ label: 'Programme', from: null, to: null }]);
    expect(describeChanges({ previous, current: previous, changed: ['venue'] }, ko)).toEqual([]);
  });
});

describe('reminder lead time', () => {
  it('says how far ahead the event is', () => {
    expect(startsIn(1440, en)).toBe('in 24 hours');
    expect(startsIn(60, en)).toBe('in 1 hour');
    expect(startsIn(2880, ko)).toBe('2일 후');
    expect(startsIn(90, ko)).toBe('90분 후');
    expect(startsIn(null, en)).toBeNull();
  });
});
