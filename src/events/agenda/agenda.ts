import { InvalidInputError } from '../../common/errors/domain-errors';

/** A session of the programme, as stored (jsonb on the event) and answered: instants in UTC. */
export interface AgendaItem {
  startsAt: string;
  endsAt: string | null;
  title: string;
  speaker: string | null;
  affiliation: string | null;
}

/** A programme is a page of sessions, not a conference schedule: bounded so one event stays one small row. */
export const MAX_AGENDA_ITEMS = 30;
export const AGENDA_TITLE_MAX = 200;
export const AGENDA_NAME_MAX = 100;

const KNOWN_KEYS = new Set(['startsAt', 'endsAt', 'title', 'speaker', 'affiliation']);
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/u;

export interface AgendaProblem {
  /** `agenda[2].startsAt`: the path a client sends, so the 400 points at the row and the field. */
  field: string;
  reason: string;
}

/**
 * Reads `agenda` as sent (JSON or the console form) into sessions, or says what is wrong with each
 * row. The shape only: whether the sessions lie inside the event's time is checkAgendaTimes, which
 * needs the event's (possibly patched) times.
 */
export function readAgenda(value: unknown): { items: AgendaItem[]; problems: AgendaProblem[] } {
  const problems: AgendaProblem[] = [];
  if (!Array.isArray(value)) return { items: [], problems: [{ field: 'agenda', reason: 'must be an array of sessions' }] };
  if (value.length > MAX_AGENDA_ITEMS) return { items: [], problems: [{ field: 'agenda', reason: `must have at most ${MAX_AGENDA_ITEMS} sessions` }] };
  const items: AgendaItem[] = [];
  value.forEach((row: unknown, index) => {
    const at = (name: string) => `agenda[${index}]${name ? `.${name}` : ''}`;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      problems.push({ field: at(''), reason: 'must be an object with startsAt and title' });
      return;
    }
    const fields = row as Record<string, unknown>;
    for (const key of Object.keys(fields)) if (!KNOWN_KEYS.has(key)) problems.push({ field: at(key), reason: 'is not a field of a session' });
    const instant = (name: 'startsAt' | 'endsAt', required: boolean): string | null => {
      const raw = fields[name];
      if (raw === undefined || raw === null || raw === '') {
        if (required) problems.push({ field: at(name), reason: 'is required' });
        return null;
      }
      if (typeof raw !== 'string' || !WITH_OFFSET.test(raw) || Number.isNaN(Date.parse(raw))) {
        problems.push({ field: at(name), reason: 'must be an ISO 8601 date-time with an offset, e.g. 2027-03-10T14:00:00+09:00' });
        return null;
      }
      return new Date(raw).toISOString();
    };
    const line = (name: 'title' | 'speaker' | 'affiliation', max: number, required: boolean): string | null => {
      const raw = fields[name];
      const trimmed = typeof raw === 'string' ? raw.trim() : raw;
      if (trimmed === undefined || trimmed === null || trimmed === '') {
        if (required) problems.push({ field: at(name), reason: 'is required' });
        return null;
      }
      if (typeof trimmed !== 'string') problems.push({ field: at(name), reason: 'must be text' });
      else if (Array.from(trimmed).length > max) problems.push({ field: at(name), reason: `must be at most ${max} characters` });
      else if (CONTROL.test(trimmed)) problems.push({ field: at(name), reason: 'must be a single line without control characters' });
      else return trimmed;
      return null;
    };
    const startsAt = instant('startsAt', true);
    const endsAt = instant('endsAt', false);
    const title = line('title', AGENDA_TITLE_MAX, true);
    const speaker = line('speaker', AGENDA_NAME_MAX, false);
    const affiliation = line('affiliation', AGENDA_NAME_MAX, false);
    if (startsAt !== null && title !== null) items.push({ startsAt, endsAt, title, speaker, affiliation });
  });
  return { items: problems.length > 0 ? [] : items, problems };
}

/**
 * The sessions lie inside the event (start at or after its start and before its end; an end after
 * the session's start and at or before the event's end) and come in order of their start, as the
 * page and the .ics list them. The first problem, by row then field.
 */
export function agendaTimeProblems(items: readonly AgendaItem[], event: { startsAt: Date; endsAt: Date }): AgendaProblem[] {
  const problems: AgendaProblem[] = [];
  let previous: number | null = null;
  items.forEach((item, index) => {
    const start = Date.parse(item.startsAt);
    if (start < event.startsAt.getTime() || start >= event.endsAt.getTime()) {
      problems.push({ field: `agenda[${index}].startsAt`, reason: 'must lie within the event (at or after startsAt, before endsAt)' });
    } else if (previous !== null && start < previous) {
      problems.push({ field: `agenda[${index}].startsAt`, reason: `must not be before agenda[${index - 1}].startsAt (sessions in order of time)` });
    }
    if (item.endsAt !== null) {
      const end = Date.parse(item.endsAt);
      if (end <= start) problems.push({ field: `agenda[${index}].endsAt`, reason: `must be after agenda[${index}].startsAt` });
      else if (end > event.endsAt.getTime()) problems.push({ field: `agenda[${index}].endsAt`, reason: 'must be at or before the end of the event (endsAt)' });
    }
    previous = start;
  });
  return problems;
}

/** Throws the first time problem as a 400 naming its field (`agenda[2].startsAt`). */
export function checkAgendaTimes(items: readonly AgendaItem[], event: { startsAt: Date; endsAt: Date }): void {
  const [first] = agendaTimeProblems(items, event);
  if (first) throw new InvalidInputError(first.field, first.reason);
}
