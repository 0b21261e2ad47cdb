import { newEventForm, readEventForm } from './event-form';
import { eventInputOf, formFieldOf } from './event-form-input';

const fields = (overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> => ({
  title: '세미나',
  type: 'seminar',
  date: '2027-03-10',
  startTime: '14:00',
  endTime: '16:00',
  timezone: 'Asia/Seoul',
  host: 'DC',
  coHosts: ['ICT', 'DC'],
  audience: 'ICT',
  capacity: '',
  reminders: ['1440'],
  agendaStart: ['14:00', '', '15:00'],
  agendaEnd: ['', '', ''],
  agendaTitle: ['개회사', '', '패널'],
  agendaSpeaker: ['', '', ''],
  agendaAffiliation: ['', '', ''],
  ...overrides,
});

describe('the console event form', () => {
  it('turns wall-clock times in the chosen zone into instants with their offset, hosts first, blank rows left out', () => {
    const { form } = readEventForm(fields());
    const { input, errors, agendaRows } = eventInputOf(form, false);
    expect(errors.size).toBe(0);
    expect(input).toMatchObject({
      startsAt: '2027-03-10T14:00:00+09:00',
      endsAt: '2027-03-10T16:00:00+09:00',
      hostClusters: ['DC', 'ICT'],
      audienceClusters: ['ICT'],
      reminderOffsetsMinutes: [1440],
      agenda: [
        { startsAt: '2027-03-10T14:00:00+09:00', title: '개회사' },
        { startsAt: '2027-03-10T15:00:00+09:00', title: '패널' },
      ],
    });
    expect('capacity' in input).toBe(false);
    // The body's agenda[1] is the form's third row.
    expect(agendaRows).toEqual([0, 2]);
    expect(formFieldOf('agenda[1].startsAt', agendaRows)).toBe('agenda.2.start');
  });

  it('keeps the local time in a zone with summer time, and ends on another day when asked', () => {
    const { form } = readEventForm(fields({ timezone: 'Europe/Berlin', date: '2027-07-01', endDate: '2027-07-02', endTime: '12:00' }));
    expect(eventInputOf(form, false).input).toMatchObject({ startsAt: '2027-07-01T14:00:00+02:00', endsAt: '2027-07-02T12:00:00+02:00' });
    // A session on the second day gives its own date; the others are on the event's.
    const twoDays = readEventForm(fields({ date: '2027-07-01', endDate: '2027-07-02', agendaDate: ['', '', '2027-07-02'] })).form;
    expect(eventInputOf(twoDays, false).input.agenda).toMatchObject([{ startsAt: '2027-07-01T14:00:00+09:00' }, { startsAt: '2027-07-02T15:00:00+09:00' }]);
  });

  it('clears optional fields on an edit (null, the API way) but leaves them out on a new event', () => {
    const { form } = readEventForm(fields({ agendaStart: [''], agendaEnd: [''], agendaTitle: [''], agendaSpeaker: [''], agendaAffiliation: [''] }));
    expect(eventInputOf(form, true).input).toMatchObject({ capacity: null, venue: null, registrationOpensAt: null, quotas: [], agenda: [] });
    expect(eventInputOf(form, false).input).not.toHaveProperty('venue');
  });

  it('names the field of a value that is no date, time or number, rather than guessing', () => {
    const { form } = readEventForm(fields({ date: '10/03/2027', capacity: '열', quota_ICT: '-2', opensDate: '2027-03-01', agendaStart: ['2pm', '', ''] }));
    expect([...eventInputOf(form, false).errors.keys()].sort()).toEqual(['agenda.0.start', 'capacity', 'endTime', 'opens', 'quotas', 'startTime']);
  });

  it('adds a row, or removes one, and says so instead of saving', () => {
    expect(readEventForm(fields({ action: 'addRow' }))).toMatchObject({ rowAction: 'add' });
    expect(readEventForm(fields({ action: 'addRow' })).form.agenda).toHaveLength(4);
    const removed = readEventForm(fields({ removeRow: '0' }));
    expect(removed.rowAction).toBe(0);
    expect(removed.form.agenda.map((row) => row.title)).toEqual(['패널', '', '']);
  });

  it("preselects a cluster organizer's own cluster and offers the default reminders", () => {
    const form = newEventForm({ organizerId: 'x', actor: 'a@b', role: 'cluster_organizer', clusters: ['GREEN_IT'], via: 'session', credentialId: null });
    expect(form).toMatchObject({ host: 'GREEN_IT', timezone: 'Asia/Seoul', reminders: ['1440', '60'], audience: ['ICT', 'IMT', 'DC', 'GREEN_IT'] });
  });
});
