import { InvalidInputError } from '../../common/errors/domain-errors';

/** Where a page of events stops: the last event's start and id, the list's sort key (ties on the start broken by id). */
export interface EventCursor {
  startsAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * An opaque `after` value for the next page. Keyset rather than offset: an event created or
 * published between two requests neither repeats nor skips a row of the pages still to come.
 */
export function encodeEventCursor(event: { startsAt: Date; id: string }): string {
  return Buffer.from(`${event.startsAt.toISOString()}|${event.id}`, 'utf8').toString('base64url');
}

export function decodeEventCursor(value: string): EventCursor {
  const [at, id, ...rest] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  const startsAt = new Date(at ?? '');
  if (rest.length > 0 || !id || !UUID.test(id) || Number.isNaN(startsAt.getTime())) {
    throw new InvalidInputError('after', 'must be a cursor from the previous page (the Link header or X-Next-Cursor)');
  }
  return { startsAt, id };
}
