import { agendaTimeProblems, readAgenda } from './agenda';

const event = { startsAt: new Date('2027-03-10T05:00:00Z'), endsAt: new Date('2027-03-10T08:00:00Z') };
const session = (startsAt: string, endsAt: string | null = null) => ({ startsAt, endsAt, title: 't', speaker: null, affiliation: null });

describe('agenda rules', () => {
  it('reads sessions into UTC instants with trimmed texts and blanks as null', () => {
    expect(readAgenda([{ startsAt: '2027-03-10T14:00:00+09:00', endsAt: '', title: ' 개회사 ', speaker: ' ', affiliation: '한빛' }])).toEqual({
      items: [{ startsAt: '2027-03-10T05:00:00.000Z', endsAt: null, title: '개회사', speaker: null, affiliation: '한빛' }],
      problems: [],
    });
  });

  it('names every wrong field of every row, and keeps no session when one is wrong', () => {
    const read = readAgenda([{ title: 'a\nb' }, null]);
    expect(read.items).toEqual([]);
    expect(read.problems.map((problem) => problem.field)).toEqual(['agenda[0].startsAt', 'agenda[0].title', 'agenda[1]']);
  });

  it.each([
    [
      'a session inside the event, in order',
      [session('2027-03-10T05:00:00Z', '2027-03-10T06:00:00Z'), session('2027-03-10T06:00:00Z', '2027-03-10T08:00:00Z')],
      [],
    ],
    ['two sessions at the same time (parallel tracks)', [session('2027-03-10T06:00:00Z'), session('2027-03-10T06:00:00Z')], []],
    ['a start before the event', [session('2027-03-10T04:59:00Z')], ['agenda[0].startsAt']],
    ['a start at the end of the event', [session('2027-03-10T08:00:00Z')], ['agenda[0].startsAt']],
    ['sessions out of order', [session('2027-03-10T07:00:00Z'), session('2027-03-10T06:00:00Z')], ['agenda[1].startsAt']],
    ['an end before its start', [session('2027-03-10T07:00:00Z', '2027-03-10T06:30:00Z')], ['agenda[0].endsAt']],
    ['an end after the event', [session('2027-03-10T07:00:00Z', '2027-03-10T08:30:00Z')], ['agenda[0].endsAt']],
  ])('%s', (_name, items, fields) => {
    expect(agendaTimeProblems(items, event).map((problem) => problem.field)).toEqual(fields);
  });
});
