import { reminderJobId, remindersOf } from './reminder-jobs';

describe('reminder planning', () => {
  const startsAt = new Date('2027-03-10T05:00:00Z');

  it('plans one job per offset, due that many minutes before the start, named by event, offset and start', () => {
    const planned = remindersOf({ id: 'e1', startsAt, reminderOffsetsMinutes: [1440, 60] });
    expect(planned).toEqual([
      {
        jobId: `reminder-e1-1440-${startsAt.getTime()}`,
        data: { eventId: 'e1', offsetMinutes: 1440, startsAtEpoch: startsAt.getTime() },
        dueAt: Date.parse('2027-03-09T05:00:00Z'),
      },
      {
        jobId: `reminder-e1-60-${startsAt.getTime()}`,
        data: { eventId: 'e1', offsetMinutes: 60, startsAtEpoch: startsAt.getTime() },
        dueAt: Date.parse('2027-03-10T04:00:00Z'),
      },
    ]);
  });

  it('gives a moved event other job ids, and none when reminders are off', () => {
    const moved = new Date(startsAt.getTime() + 2 * 3600_000);
    expect(reminderJobId('e1', 60, moved.getTime())).not.toBe(reminderJobId('e1', 60, startsAt.getTime()));
    expect(reminderJobId('e1', 60, 1)).not.toContain(':'); // BullMQ refuses ':' in custom job ids
    expect(remindersOf({ id: 'e1', startsAt, reminderOffsetsMinutes: [] })).toEqual([]);
  });
});
