import type { OutboxEntry } from './outbox.service';

/** One statement and its bound parameters. */
export interface Statement {
  sql: string;
  params: unknown[];
}

const COLUMNS = 'kind, dedupe_key, event_id, registration_id, member_id, recipient, locale, payload, message_key, request_id';

/**
 * The INSERT of up to 5,000 entries (PostgreSQL takes at most 65,535 bound parameters per
 * statement; 9 per row and the request id), keeping a row already queued under its dedupe key.
 */
export function insertEntries(entries: readonly OutboxEntry[], requestId: string | null): Statement {
  const params: unknown[] = [requestId];
  const rows = entries.map((entry) => {
    params.push(
      entry.kind,
      entry.dedupeKey,
      entry.eventId,
      entry.registrationId ?? null,
      entry.memberId ?? null,
      entry.recipient,
      entry.locale,
      JSON.stringify({ ...(entry.payload ?? {}), recipientName: entry.recipientName }),
      entry.messageKey ?? null,
    );
    const n = params.length;
    return `($${n - 8}, $${n - 7}, $${n - 6}, $${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}::jsonb, coalesce($${n}::uuid, gen_random_uuid()), $1)`;
  });
  return {
    sql: `INSERT INTO outbox (${COLUMNS})
          VALUES ${rows.join(', ')}
          ON CONFLICT (dedupe_key) DO NOTHING
          RETURNING message_key AS "messageKey"`,
    params,
  };
}

/** OutboxService.queueForEachRow's one statement: the caller's common table expressions, then a mail per `source` row. */
export function insertForEachRow(
  source: { ctes: string; params: unknown[] },
  entry: Omit<OutboxEntry, 'dedupeKey' | 'registrationId' | 'messageKey'> & { dedupePrefix: string },
  requestId: string | null,
): Statement {
  const n = source.params.length;
  return {
    sql: `WITH ${source.ctes},
               queued AS (
                 INSERT INTO outbox (${COLUMNS})
                 SELECT $${n + 1}, $${n + 2}::text || source.id::text, $${n + 3}, source.id, $${n + 4}, $${n + 5}, $${n + 6}, $${n + 7}::jsonb, gen_random_uuid(), $${n + 8}
                   FROM source
                 ON CONFLICT (dedupe_key) DO NOTHING
                 RETURNING 1
               )
          SELECT source.id, (SELECT count(*) FROM queued)::int AS queued FROM source`,
    params: [
      ...source.params,
      entry.kind,
      entry.dedupePrefix,
      entry.eventId,
      entry.memberId ?? null,
      entry.recipient,
      entry.locale,
      JSON.stringify({ ...(entry.payload ?? {}), recipientName: entry.recipientName }),
      requestId,
    ],
  };
}
