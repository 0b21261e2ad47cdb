import { InvalidInputError } from '../common/errors/domain-errors';
import { SeminarEvent } from './entities/event.entity';

/** Reserved cluster seats return to the open pool this long before the start unless the event says otherwise. */
export const DEFAULT_QUOTA_RELEASE_BEFORE_MS = 48 * 3600_000;

export function quotaReleaseTime(event: Pick<SeminarEvent, 'quotaReleaseAt' | 'startsAt'>): Date {
  return event.quotaReleaseAt ?? new Date(event.startsAt.getTime() - DEFAULT_QUOTA_RELEASE_BEFORE_MS);
}

export function quotasReleased(event: Pick<SeminarEvent, 'quotaReleaseAt' | 'startsAt' | 'quotaReleased'>, now = new Date()): boolean {
  return event.quotaReleased || quotaReleaseTime(event) <= now;
}

export type RegistrationWindow = { open: true } | { open: false; reason: 'not_published' | 'cancelled' | 'not_yet_open' | 'closed'; at?: Date };

/** Whether people may register (or confirm) now: published, not over, inside registrationOpensAt..registrationClosesAt. */
export function registrationWindow(
  event: Pick<SeminarEvent, 'status' | 'registrationOpensAt' | 'registrationClosesAt' | 'endsAt'>,
  now = new Date(),
): RegistrationWindow {
  if (event.status === 'cancelled') return { open: false, reason: 'cancelled' };
  if (event.status !== 'published') return { open: false, reason: 'not_published' };
  if (event.registrationOpensAt && now < event.registrationOpensAt) return { open: false, reason: 'not_yet_open', at: event.registrationOpensAt };
  const closesAt = event.registrationClosesAt ?? event.endsAt;
  if (now >= closesAt) return { open: false, reason: 'closed', at: closesAt };
  return { open: true };
}

/** An event lasts at most this long: a conference week or a month-long exhibition, not a typo in the year of endsAt. */
export const MAX_EVENT_DAYS = 31;

export const TIME_FIELDS = ['startsAt', 'endsAt', 'registrationOpensAt', 'registrationClosesAt', 'quotaReleaseAt'] as const;
export type TimeField = (typeof TIME_FIELDS)[number];
export type EventTimes = Pick<SeminarEvent, TimeField>;

interface TimeRule {
  /** The field the rule is about, and the one it is measured against. */
  field: TimeField;
  other: TimeField;
  /** Other fields whose change can break the rule (a cleared registrationClosesAt means "at endsAt"). */
  alsoMoves?: TimeField[];
  holds: (times: EventTimes) => boolean;
  /** What the field must be: "after startsAt". */
  relation: string;
}

/**
 * Every window lies inside the event's own time. Registration may close as late as the end (the
 * default close is endsAt, and people still register at the door of a long event), not later: a
 * page would say "closes" after the event is over. Reserved seats return to the open pool at the
 * start at the latest (the default is 48 hours before): after it, a seat held for a cluster that
 * did not claim it is a seat lost.
 */
const TIME_RULES: TimeRule[] = [
  { field: 'endsAt', other: 'startsAt', holds: (t) => t.endsAt > t.startsAt, relation: 'after startsAt' },
  {
    field: 'endsAt',
    other: 'startsAt',
    holds: (t) => t.endsAt.getTime() - t.startsAt.getTime() <= MAX_EVENT_DAYS * 86_400_000,
    relation: `at most ${MAX_EVENT_DAYS} days after startsAt`,
  },
  {
    field: 'registrationClosesAt',
    other: 'registrationOpensAt',
    holds: (t) => !t.registrationOpensAt || !t.registrationClosesAt || t.registrationClosesAt > t.registrationOpensAt,
    relation: 'after registrationOpensAt',
  },
  {
    field: 'registrationClosesAt',
    other: 'endsAt',
    holds: (t) => !t.registrationClosesAt || t.registrationClosesAt <= t.endsAt,
    relation: 'at or before endsAt',
  },
  {
    field: 'registrationOpensAt',
    other: 'endsAt',
    alsoMoves: ['registrationClosesAt'],
    holds: (t) => !t.registrationOpensAt || t.registrationOpensAt < t.endsAt,
    relation: 'before endsAt',
  },
  {
    field: 'quotaReleaseAt',
    other: 'startsAt',
    holds: (t) => !t.quotaReleaseAt || t.quotaReleaseAt <= t.startsAt,
    relation: 'at or before startsAt',
  },
];

/**
 * Checks the order of an event's times; throws InvalidInputError naming a field. On creation
 * (`sent` absent) the message says what the field must be ("endsAt must be after startsAt"). On a
 * PATCH the times are the merged result and `sent` the fields the body changes: a rule is checked
 * only where the body moves one of its fields (an event stored before a rule existed stays
 * editable), and the message names the field sent ("startsAt must leave quotaReleaseAt at or
 * before startsAt").
 */
export function checkEventTimes(times: EventTimes, sent?: ReadonlySet<TimeField>): void {
  for (const rule of TIME_RULES) {
    const moved = [rule.field, rule.other, ...(rule.alsoMoves ?? [])].filter((field) => !sent || sent.has(field));
    if (moved.length === 0 || rule.holds(times)) continue;
    if (!sent) throw new InvalidInputError(rule.field, `must be ${rule.relation}`);
    throw new InvalidInputError(moved[0], `must leave ${rule.field} ${rule.relation}`);
  }
}
