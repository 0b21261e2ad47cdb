import { InvalidInputError } from '../common/errors/domain-errors';
import { checkEventTimes, EventTimes, TimeField } from './event-rules';

const at = (iso: string) => new Date(iso);
const event: EventTimes = {
  startsAt: at('2030-03-10T05:00:00Z'),
  endsAt: at('2030-03-10T07:00:00Z'),
  registrationOpensAt: at('2030-02-01T00:00:00Z'),
  registrationClosesAt: at('2030-03-09T09:00:00Z'),
  quotaReleaseAt: at('2030-03-08T05:00:00Z'),
};

/** The message checkEventTimes throws, or null when the times are in order. */
function problem(times: Partial<EventTimes>, sent?: TimeField[]): string | null {
  try {
    checkEventTimes({ ...event, ...times }, sent && new Set(sent));
    return null;
  } catch (error) {
    if (error instanceof InvalidInputError) return error.message;
    throw error;
  }
}

describe('checkEventTimes on creation: every window inside the event', () => {
  it('accepts an event whose windows lie inside it, and one without windows', () => {
    expect(problem({})).toBeNull();
    expect(problem({ registrationOpensAt: null, registrationClosesAt: null, quotaReleaseAt: null })).toBeNull();
  });

  it.each<[string, Partial<EventTimes>, string]>([
    ['ends when it starts', { endsAt: event.startsAt }, 'endsAt must be after startsAt'],
    ['ends before it starts', { endsAt: at('2030-03-10T04:00:00Z') }, 'endsAt must be after startsAt'],
    ['lasts a minute over 31 days', { endsAt: at('2030-04-10T05:01:00Z') }, 'endsAt must be at most 31 days after startsAt'],
    ['closes registration when it opens', { registrationClosesAt: event.registrationOpensAt }, 'registrationClosesAt must be after registrationOpensAt'],
    ['closes registration after the end', { registrationClosesAt: at('2030-03-10T07:00:01Z') }, 'registrationClosesAt must be at or before endsAt'],
    [
      'opens registration at the end, with no close given',
      { registrationOpensAt: event.endsAt, registrationClosesAt: null },
      'registrationOpensAt must be before endsAt',
    ],
    ['releases quotas after the start', { quotaReleaseAt: at('2030-03-10T05:00:01Z') }, 'quotaReleaseAt must be at or before startsAt'],
    ['releases quotas in the year 9999', { quotaReleaseAt: at('9999-01-01T00:00:00Z') }, 'quotaReleaseAt must be at or before startsAt'],
  ])('refuses an event that %s, naming the field', (_, times, message) => {
    expect(problem(times)).toBe(message);
  });

  it('accepts the limits themselves: 31 days, closing at the end, releasing at the start', () => {
    expect(problem({ endsAt: at('2030-04-10T05:00:00Z') })).toBeNull();
    expect(problem({ registrationClosesAt: event.endsAt, quotaReleaseAt: event.startsAt })).toBeNull();
  });
});

describe('checkEventTimes on a PATCH: the merged result, naming the field sent', () => {
  it.each<[string, Partial<EventTimes>, TimeField[], string]>([
    [
      'startsAt moved before the stored quota release',
      { startsAt: at('2030-03-08T04:00:00Z'), endsAt: at('2030-03-08T06:00:00Z'), registrationClosesAt: null },
      ['startsAt', 'endsAt'],
      'startsAt must leave quotaReleaseAt at or before startsAt',
    ],
    [
      'endsAt moved before the stored close of registration',
      { startsAt: at('2030-03-09T01:00:00Z'), endsAt: at('2030-03-09T03:00:00Z') },
      ['startsAt', 'endsAt'],
      'endsAt must leave registrationClosesAt at or before endsAt',
    ],
    [
      'registrationClosesAt moved after the stored end',
      { registrationClosesAt: at('2030-03-11T00:00:00Z') },
      ['registrationClosesAt'],
      'registrationClosesAt must leave registrationClosesAt at or before endsAt',
    ],
    [
      'registrationOpensAt moved after the stored close',
      { registrationOpensAt: at('2030-03-09T10:00:00Z') },
      ['registrationOpensAt'],
      'registrationOpensAt must leave registrationClosesAt after registrationOpensAt',
    ],
    ['endsAt moved 40 days on', { endsAt: at('2030-04-19T07:00:00Z') }, ['endsAt'], 'endsAt must leave endsAt at most 31 days after startsAt'],
    ['startsAt moved after endsAt', { startsAt: at('2030-03-10T08:00:00Z') }, ['startsAt'], 'startsAt must leave endsAt after startsAt'],
    [
      'quotaReleaseAt moved after the stored start',
      { quotaReleaseAt: at('2030-03-10T06:00:00Z') },
      ['quotaReleaseAt'],
      'quotaReleaseAt must leave quotaReleaseAt at or before startsAt',
    ],
  ])('refuses %s', (_, times, sent, message) => {
    expect(problem(times, sent)).toBe(message);
  });

  it('leaves rules alone that the PATCH does not touch, so an event stored before a rule existed stays editable', () => {
    const legacy = { registrationClosesAt: at('2030-03-12T00:00:00Z'), quotaReleaseAt: at('2030-03-11T00:00:00Z') };
    expect(problem(legacy, [])).toBeNull();
    expect(problem({ ...legacy, startsAt: at('2030-03-10T04:00:00Z') }, ['startsAt'])).toBe('startsAt must leave quotaReleaseAt at or before startsAt');
  });

  it('checks a cleared close of registration against the end: registration then closes at endsAt', () => {
    const legacy = { registrationOpensAt: at('2030-03-10T08:00:00Z'), registrationClosesAt: null };
    expect(problem(legacy, ['registrationClosesAt'])).toBe('registrationClosesAt must leave registrationOpensAt before endsAt');
  });
});
