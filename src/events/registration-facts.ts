import { EntityManager } from 'typeorm';
import { NotFoundError } from '../common/errors/domain-errors';
import { sortClusterCodes } from './dto/event.view';
import { EventStatus, SeminarEvent } from './entities/event.entity';

/** The fields of an event that a public registration is decided on (`EventsService.registrationFacts`, read here). */
export type RegistrationFacts = Pick<SeminarEvent, 'id' | 'status' | 'endsAt' | 'registrationOpensAt' | 'registrationClosesAt' | 'leadHost'> & {
  /** The host clusters' codes, in the park's order (as `clusterCodes(event, 'host')`). */
  hosts: string[];
};

/** `EventsService.registrationFacts`: the window and the hosts in one statement. */
export async function readRegistrationFacts(manager: EntityManager, id: string): Promise<RegistrationFacts> {
  const rows: {
    status: EventStatus;
    ends_at: Date;
    registration_opens_at: Date | null;
    registration_closes_at: Date | null;
    lead_host: string | null;
    hosts: string[];
  }[] = await manager.query(
    `SELECT e.status, e.ends_at, e.registration_opens_at, e.registration_closes_at, e.lead_host,
            ARRAY(SELECT c.cluster_code FROM event_clusters c WHERE c.event_id = e.id AND c.role = 'host') AS hosts
       FROM events e WHERE e.id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row || row.status === 'draft') throw new NotFoundError('event');
  return {
    id,
    status: row.status,
    endsAt: row.ends_at,
    registrationOpensAt: row.registration_opens_at,
    registrationClosesAt: row.registration_closes_at,
    leadHost: row.lead_host,
    hosts: sortClusterCodes(row.hosts),
  };
}
