import { ConflictError, InvalidInputError } from '../../common/errors/domain-errors';
import { UpdateEventDto } from '../dto/update-event.dto';
import { SeminarEvent } from '../entities/event.entity';
import { checkEventTimes, TIME_FIELDS } from '../event-rules';
import { AgendaItem, agendaTimeProblems, readAgenda } from '../agenda/agenda';

/** Fields whose change an attendee must see in their calendar: each such change bumps SEQUENCE. */
export const ATTENDEE_VISIBLE_FIELDS = ['title', 'description', 'startsAt', 'endsAt', 'timezone', 'venue', 'onlineUrl', 'agenda'] as const;
/** Fields an event always has: a PATCH may change them, never clear them. */
const REQUIRED_FIELDS = ['title', 'type', 'startsAt', 'endsAt', 'timezone', 'hostClusters', 'audienceClusters', 'reminderOffsetsMinutes'] as const;
/** Reminders 24 hours and 1 hour before the start, unless the event says otherwise. */
export const DEFAULT_REMINDER_OFFSETS_MINUTES = [1440, 60];

export function checkQuotas(quotas: { cluster: string; seats: number }[], capacity: number | null): void {
  if (quotas.length === 0) return;
  if (capacity === null) throw new InvalidInputError('quotas', 'need a capacity (reserved seats are part of it)');
  if (new Set(quotas.map((quota) => quota.cluster)).size !== quotas.length) throw new InvalidInputError('quotas', 'must not name a cluster twice');
  const reserved = quotas.reduce((sum, quota) => sum + quota.seats, 0);
  if (reserved > capacity) throw new InvalidInputError('quotas', `reserve ${reserved} seats, more than the capacity of ${capacity}`);
}

/** Largest first, each once: the order reminders go out in. */
export function reminderOffsets(minutes: number[]): number[] {
  return [...new Set(minutes)].sort((a, b) => b - a);
}

/** A PATCH must not clear a field every event has (400 naming it). */
export function checkNoRequiredFieldCleared(dto: UpdateEventDto): void {
  for (const field of REQUIRED_FIELDS) {
    if (field in dto && (dto as Record<string, unknown>)[field] === null) throw new InvalidInputError(field, 'must not be null');
  }
}

export interface EventUpdatePlan {
  /** The columns to write (null clears an optional field); holds the bumped sequence when there is one. */
  patch: Partial<SeminarEvent>;
  /** The attendee-visible fields the PATCH changed, for the update mail. */
  changed: string[];
}

/**
 * What a PATCH does to a stored event: the columns it writes, checked as the merged result (a
 * PATCH moving startsAt is checked against the stored windows, and the reverse), and whether
 * attendees must see it. A change attendees must see bumps SEQUENCE on a published event
 * (RFC 5546 §2.1.4); on a draft nobody has it in a calendar yet.
 */
export function planEventUpdate(event: SeminarEvent, dto: UpdateEventDto): EventUpdatePlan {
  if (event.status === 'cancelled') throw new ConflictError('a cancelled event cannot be changed');
  const patch: Partial<SeminarEvent> = {};
  const date = (value: string | null | undefined) => (value ? new Date(value) : null);
  if (dto.title !== undefined) patch.title = dto.title;
  if (dto.type !== undefined) patch.type = dto.type;
  if (dto.description !== undefined) patch.description = dto.description ?? null;
  // null clears them, as for the other optional fields; they are for organizers, not attendees' calendars.
  if (dto.keywords !== undefined) patch.keywords = dto.keywords ?? [];
  if (dto.startsAt !== undefined) patch.startsAt = new Date(dto.startsAt);
  if (dto.endsAt !== undefined) patch.endsAt = new Date(dto.endsAt);
  if (dto.timezone !== undefined) patch.timezone = dto.timezone;
  if (dto.venue !== undefined) patch.venue = dto.venue ?? null;
  if (dto.onlineUrl !== undefined) patch.onlineUrl = dto.onlineUrl ?? null;
  if (dto.capacity !== undefined) patch.capacity = dto.capacity ?? null;
  if (dto.reminderOffsetsMinutes !== undefined) patch.reminderOffsetsMinutes = reminderOffsets(dto.reminderOffsetsMinutes);
  if (dto.registrationOpensAt !== undefined) patch.registrationOpensAt = date(dto.registrationOpensAt);
  if (dto.registrationClosesAt !== undefined) patch.registrationClosesAt = date(dto.registrationClosesAt);
  if (dto.quotaReleaseAt !== undefined) patch.quotaReleaseAt = date(dto.quotaReleaseAt);
  if (dto.agenda !== undefined) patch.agenda = readAgenda(dto.agenda ?? []).items;
  const after = { ...event, ...patch };
  checkEventTimes(after, new Set(TIME_FIELDS.filter((field) => dto[field] !== undefined)));
  const [agendaProblem] = agendaTimeProblems(after.agenda ?? [], after);
  if (agendaProblem) {
    // An agenda kept from before that a move of the event leaves outside: the field moved is at fault.
    const blamed = dto.agenda !== undefined ? agendaProblem.field : dto.startsAt !== undefined ? 'startsAt' : 'endsAt';
    throw new InvalidInputError(
      blamed,
      dto.agenda !== undefined ? agendaProblem.reason : `must leave ${agendaProblem.field} inside the event (change the agenda in the same PATCH)`,
    );
  }
  const quotas = dto.quotas === undefined ? event.quotas.map((q) => ({ cluster: q.clusterCode, seats: q.seats })) : (dto.quotas ?? []);
  checkQuotas(quotas, after.capacity);
  if (after.capacity !== null && after.capacity < event.seatsTaken) {
    throw new ConflictError(`capacity cannot be below the ${event.seatsTaken} seats already taken`, 'capacity');
  }
  const changed = ATTENDEE_VISIBLE_FIELDS.filter((field) => !sameValue(event[field], after[field]));
  if (event.status === 'published' && changed.length > 0) patch.sequence = event.sequence + 1;
  return { patch, changed };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  // The agenda (rows in the calendar's description): equal when every row is, field by field, since
  // jsonb gives the stored rows' keys back in its own order.
  if (Array.isArray(a) || Array.isArray(b)) return sameAgenda((a ?? []) as AgendaItem[], (b ?? []) as AgendaItem[]);
  return a === b;
}

const AGENDA_FIELDS = ['startsAt', 'endsAt', 'title', 'speaker', 'affiliation'] as const;

function sameAgenda(a: readonly AgendaItem[], b: readonly AgendaItem[]): boolean {
  return a.length === b.length && a.every((row, index) => AGENDA_FIELDS.every((field) => (row[field] ?? null) === (b[index][field] ?? null)));
}
