import 'reflect-metadata';
import { ConflictError, InvalidInputError } from '../../common/errors/domain-errors';
import type { SeminarEvent } from '../entities/event.entity';
import { checkNoRequiredFieldCleared, planEventUpdate, reminderOffsets } from './event-fields';

const stored = (changes: Partial<SeminarEvent> = {}): SeminarEvent =>
  ({
    id: 'e1',
    status: 'published',
    sequence: 3,
    title: 'AI 세미나',
    description: null,
    startsAt: new Date('2027-03-10T05:00:00Z'),
    endsAt: new Date('2027-03-10T07:00:00Z'),
    timezone: 'Asia/Seoul',
    venue: 'Room A',
    onlineUrl: null,
    capacity: 50,
    seatsTaken: 10,
    reminderOffsetsMinutes: [1440, 60],
    registrationOpensAt: null,
    registrationClosesAt: null,
    quotaReleaseAt: null,
    quotas: [],
    ...changes,
  }) as SeminarEvent;

describe('planning a PATCH of an event', () => {
  it('bumps SEQUENCE of a published event when attendees see the change, and lists what changed', () => {
    expect(planEventUpdate(stored(), { venue: 'Room B', startsAt: '2027-03-10T15:00:00+09:00', endsAt: '2027-03-10T17:00:00+09:00' })).toEqual({
      patch: { venue: 'Room B', startsAt: new Date('2027-03-10T06:00:00Z'), endsAt: new Date('2027-03-10T08:00:00Z'), sequence: 4 },
      changed: ['startsAt', 'endsAt', 'venue'],
    });
  });

  it('does not bump SEQUENCE for a value sent unchanged, for a field attendees do not see, or on a draft', () => {
    expect(planEventUpdate(stored(), { venue: 'Room A', capacity: 60 })).toEqual({ patch: { venue: 'Room A', capacity: 60 }, changed: [] });
    expect(planEventUpdate(stored({ status: 'draft' }), { title: 'New' })).toEqual({ patch: { title: 'New' }, changed: ['title'] });
  });

  it('bumps SEQUENCE when the agenda changes (the calendar shows it), not when the same agenda is sent again', () => {
    const row = { startsAt: '2027-03-10T05:00:00.000Z', endsAt: '2027-03-10T06:00:00.000Z', title: '기조 강연', speaker: '김민지', affiliation: null };
    // As jsonb gives it back: the same row, its keys in another order.
    const fromDatabase = { title: row.title, endsAt: row.endsAt, speaker: row.speaker, startsAt: row.startsAt, affiliation: null };
    const event = stored({ agenda: [fromDatabase] });
    expect(planEventUpdate(event, { agenda: [{ ...row }] })).toEqual({ patch: { agenda: [row] }, changed: [] });
    const moved = { ...row, title: '패널 토론' };
    expect(planEventUpdate(event, { agenda: [moved] })).toEqual({ patch: { agenda: [moved], sequence: 4 }, changed: ['agenda'] });
    expect(planEventUpdate(event, { agenda: [] })).toMatchObject({ patch: { agenda: [], sequence: 4 }, changed: ['agenda'] });
  });

  it('clears an optional field with null and orders reminder offsets', () => {
    expect(planEventUpdate(stored(), { venue: null as unknown as string, reminderOffsetsMinutes: [60, 1440, 60] }).patch).toEqual({
      venue: null,
      reminderOffsetsMinutes: [1440, 60],
      sequence: 4,
    });
    expect(reminderOffsets([5, 120, 5])).toEqual([120, 5]);
  });

  it('refuses a cancelled event, a capacity below the seats taken, and a required field cleared', () => {
    expect(() => planEventUpdate(stored({ status: 'cancelled' }), { title: 'x' })).toThrow(ConflictError);
    expect(() => planEventUpdate(stored(), { capacity: 5 })).toThrow(ConflictError);
    expect(() => planEventUpdate(stored(), { quotas: [{ cluster: 'ICT', seats: 60 }] })).toThrow(InvalidInputError);
    expect(() => checkNoRequiredFieldCleared({ title: null as unknown as string })).toThrow(InvalidInputError);
  });

  it('checks the merged times: moving the end before the stored close of registration is refused', () => {
    const event = stored({ registrationClosesAt: new Date('2027-03-10T06:30:00Z') });
    expect(() => planEventUpdate(event, { endsAt: '2027-03-10T15:00:00+09:00' })).toThrow(InvalidInputError);
  });
});
