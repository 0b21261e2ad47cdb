import type { ConsentKind } from './consents/consent-notice';

/** A new registration from the public form, before it is confirmed by the emailed link. */
export interface PublicRegistrationInput {
  eventId: string;
  email: string;
  memberId: string | null;
  name: string;
  company: string | null;
  clusterCode: string | null;
  /** The registrant's choices on the consent notices, stored with the new row (none: asked for at confirmation). */
  consents?: { version: string; at: Date; rows: { kind: ConsentKind; granted: boolean }[] };
}

/** RegistrationsRepository.insertPublicStatement: the registrations module's own SQL, for OutboxService.queueForEachRow to run. */
export function publicRegistrationStatement(input: PublicRegistrationInput): { ctes: string; params: unknown[] } {
  const params: unknown[] = [input.eventId, input.email, input.memberId, input.name, input.company, input.clusterCode];
  const registration = `registration AS (
     INSERT INTO registrations (event_id, email, member_id, name, company, cluster_code, status, source)
     VALUES ($1, $2, $3, $4, $5, $6, 'pending_confirmation', 'public')
     ON CONFLICT (event_id, lower(email)) DO NOTHING
     RETURNING id)`;
  const { consents } = input;
  if (!consents?.rows.length) return { ctes: `${registration}, source AS (SELECT id FROM registration)`, params };
  params.push(
    consents.version,
    consents.at,
    consents.rows.map((r) => r.kind),
    consents.rows.map((r) => r.granted),
  );
  return {
    ctes: `${registration},
     stored_consents AS (
       INSERT INTO consents (registration_id, kind, version, granted, at)
       SELECT registration.id, c.kind, $7, c.granted, $8
         FROM registration, unnest($9::text[], $10::boolean[]) AS c (kind, granted)
     ),
     source AS (SELECT id FROM registration)`,
    params,
  };
}
