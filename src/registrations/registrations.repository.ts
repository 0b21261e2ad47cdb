import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { NotFoundError } from '../common/errors/domain-errors';
import { Registration, RegistrationStatus } from './entities/registration.entity';
import { PublicRegistrationInput, publicRegistrationStatement } from './public-registration-statement';
import { TakenSeats } from './seats/seat-decision';

export type { PublicRegistrationInput } from './public-registration-statement';

/**
 * The registrations table: every statement on it that the use cases, readers and seat accounting
 * make, on the caller's manager (so inside its transaction, under its event lock where it holds one).
 * Figures that only count rows are RegistrationCountsReader's.
 */
@Injectable()
export class RegistrationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * A new public registration, as common table expressions, the last named `source` with the new
   * row's id (none when the email is already registered for the event), for the caller to run with
   * what must be written in the same statement (OutboxService.queueForEachRow: the opt-in mail).
   * The consent rows go with the new row; an email already registered inserts nothing here,
   * consents included.
   */
  insertPublicStatement(input: PublicRegistrationInput): { ctes: string; params: unknown[] } {
    return publicRegistrationStatement(input);
  }

  /**
   * Erases the person from a registration (PIPA): name, email and company become anonymous values,
   * the link to the member goes, and so do the consents; the row stays, so the event's counts do.
   */
  async anonymise(manager: EntityManager, registrationIds: string[]): Promise<number> {
    if (!registrationIds.length) return 0;
    await manager.query(`DELETE FROM consents WHERE registration_id = ANY($1::uuid[])`, [registrationIds]);
    const [, affected]: [unknown, number] = await manager.query(
      `UPDATE registrations SET email = 'erased-' || id || '@invalid', name = '-', company = NULL, member_id = NULL
        WHERE id = ANY($1::uuid[]) AND email NOT LIKE 'erased-%@invalid'`,
      [registrationIds],
    );
    return affected;
  }

  /** Registrations not yet anonymised of these events (the events module says which have ended). */
  async identifiableOfEvents(manager: EntityManager, eventIds: string[], limit: number): Promise<string[]> {
    if (eventIds.length === 0) return [];
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM registrations WHERE event_id = ANY ($1::uuid[]) AND email NOT LIKE 'erased-%@invalid' ORDER BY id LIMIT $2`,
      [eventIds, limit],
    );
    return rows.map((row) => row.id);
  }

  /** Reopens a cancelled registration of this email as pending; undefined when there is none to reopen. */
  async reopenCancelled(manager: EntityManager, eventId: string, email: string, name: string): Promise<string | undefined> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected count].
    const [reopened]: [{ id: string }[], number] = await manager.query(
      `UPDATE registrations SET status = 'pending_confirmation', name = $3, cancelled_at = NULL
        WHERE event_id = $1 AND lower(email) = lower($2) AND status = 'cancelled' RETURNING id`,
      [eventId, email, name],
    );
    return reopened[0]?.id;
  }

  async createFromInvitation(
    manager: EntityManager,
    input: Pick<Registration, 'eventId' | 'email' | 'memberId' | 'name' | 'company' | 'clusterCode'>,
  ): Promise<Registration> {
    return manager.save(manager.create(Registration, { ...input, status: 'pending_confirmation', source: 'invitation' }));
  }

  /** Lower-cased emails of the people holding a seat or a place on the waiting list. */
  async activeEmails(manager: EntityManager, eventId: string): Promise<Set<string>> {
    const rows: { email: string }[] = await manager.query(
      `SELECT lower(email) AS email FROM registrations WHERE event_id = $1 AND status IN ('confirmed', 'waitlisted')`,
      [eventId],
    );
    return new Set(rows.map((row) => row.email));
  }

  findById(manager: EntityManager, id: string): Promise<Registration | null> {
    return manager.findOne(Registration, { where: { id } });
  }

  reload(manager: EntityManager, id: string): Promise<Registration> {
    return manager.findOneOrFail(Registration, { where: { id } });
  }

  /** The event's registration, or a 404 naming registrationId. */
  async getOfEvent(manager: EntityManager, eventId: string, registrationId: string): Promise<Registration> {
    const registration = await manager.findOne(Registration, { where: { id: registrationId, eventId } });
    if (!registration) throw new NotFoundError('registration', 'registrationId');
    return registration;
  }

  findByEmail(manager: EntityManager, eventId: string, email: string): Promise<Registration | null> {
    return manager
      .getRepository(Registration)
      .createQueryBuilder('registration')
      .where('registration.event_id = :eventId AND lower(registration.email) = lower(:email)', { eventId, email })
      .getOne();
  }

  /**
   * One keyset page of the event's registrations (by creation, then id) that pass the filter, with
   * each waitlisted person's place on the whole waiting list; `limit + 1` rows are read so the
   * caller knows whether another page follows. `consentKinds`: only registrations that granted one
   * of these consents (a co-host's view); null for everyone.
   */
  async pageOfEvent(
    eventId: string,
    filter: { status?: RegistrationStatus; cluster?: string; search?: string; after?: string; limit: number | null },
    consentKinds: string[] | null,
  ): Promise<{ registrations: (Registration & { position: number | null })[]; more: boolean }> {
    const pattern = filter.search ? `%${filter.search.replace(/[\\%_]/g, (char) => `\\${char}`)}%` : null;
    const rows = await this.dataSource.query<{ id: string; position: number | null }[]>(
      `SELECT r.id, r.position FROM (
          SELECT id, event_id, status, cluster_code, name, company, email, created_at,
                 CASE WHEN status = 'waitlisted' THEN row_number() OVER (PARTITION BY status = 'waitlisted' ORDER BY waitlist_order, id) END::int AS position
            FROM registrations WHERE event_id = $1) r
        WHERE ($2::varchar IS NULL OR r.status = $2)
          AND ($3::varchar IS NULL OR r.cluster_code = $3)
          AND ($4::text IS NULL OR r.name ILIKE $4 OR r.company ILIKE $4 OR r.email ILIKE $4)
          AND ($5::text[] IS NULL OR EXISTS (SELECT 1 FROM consents c WHERE c.registration_id = r.id AND c.granted AND c.kind = ANY ($5::text[])))
          AND ($6::uuid IS NULL OR (r.created_at, r.id) > (SELECT created_at, id FROM registrations WHERE id = $6 AND event_id = $1))
        ORDER BY r.created_at, r.id
        LIMIT $7`,
      [eventId, filter.status ?? null, filter.cluster ?? null, pattern, consentKinds, filter.after ?? null, filter.limit === null ? null : filter.limit + 1],
    );
    const page = filter.limit === null ? rows : rows.slice(0, filter.limit);
    const found = page.length === 0 ? [] : await this.dataSource.getRepository(Registration).findBy({ id: In(page.map((row) => row.id)) });
    const byId = new Map(found.map((registration) => [registration.id, registration]));
    return {
      registrations: page.flatMap((row) => {
        const registration = byId.get(row.id);
        return registration ? [Object.assign(registration, { position: row.position })] : [];
      }),
      more: rows.length > page.length,
    };
  }

  listOfEvent(eventId: string): Promise<Registration[]> {
    return this.dataSource.getRepository(Registration).find({ where: { eventId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** The event's registrations in the given states, in the order they were made. */
  withStatus(manager: EntityManager, eventId: string, statuses: RegistrationStatus[]): Promise<Registration[]> {
    return manager
      .getRepository(Registration)
      .createQueryBuilder('registration')
      .where('registration.event_id = :eventId AND registration.status IN (:...statuses)', { eventId, statuses })
      .orderBy('registration.created_at', 'ASC')
      .addOrderBy('registration.id', 'ASC')
      .getMany();
  }

  /** The waiting list in arrival order. */
  waitlist(manager: EntityManager, eventId: string): Promise<Registration[]> {
    return manager.find(Registration, { where: { eventId, status: 'waitlisted' }, order: { waitlistOrder: 'ASC' } });
  }

  /** 1-based place of a waitlisted registration on its event's waiting list. */
  async waitlistPosition(manager: EntityManager, registrationId: string): Promise<number> {
    const [{ position }]: { position: number }[] = await manager.query(
      `SELECT count(*)::int AS position FROM registrations r, registrations me
        WHERE me.id = $1 AND r.event_id = me.event_id AND r.status = 'waitlisted' AND r.waitlist_order <= me.waitlist_order`,
      [registrationId],
    );
    return position;
  }

  /** The confirmed seats of the event by cluster and pool: what the seat decision counts. */
  async confirmedSeats(manager: EntityManager, eventId: string): Promise<TakenSeats[]> {
    const rows: { cluster_code: string | null; seat_pool: 'quota' | 'open' | null; n: number }[] = await manager.query(
      `SELECT cluster_code, seat_pool, count(*)::int AS n FROM registrations WHERE event_id = $1 AND status = 'confirmed' GROUP BY 1, 2`,
      [eventId],
    );
    return rows.map((row) => ({ clusterCode: row.cluster_code, seatPool: row.seat_pool, count: row.n }));
  }

  async markConfirmed(manager: EntityManager, id: string, seatPool: 'quota' | 'open'): Promise<void> {
    await manager.update(Registration, id, { status: 'confirmed', seatPool, waitlistOrder: null, confirmedAt: new Date(), cancelledAt: null });
  }

  /** Puts the registration at the end of the waiting list. */
  async markWaitlisted(manager: EntityManager, id: string): Promise<void> {
    await manager.query(
      `UPDATE registrations SET status = 'waitlisted', waitlist_order = nextval('registrations_waitlist_seq'), cancelled_at = NULL WHERE id = $1`,
      [id],
    );
  }

  async markCancelled(manager: EntityManager, id: string): Promise<void> {
    await manager.update(Registration, id, { status: 'cancelled', cancelledAt: new Date(), seatPool: null, waitlistOrder: null });
  }

  /**
   * The events a member holds a confirmed seat for. A registration counts by its member id or, for
   * one made on the public page before the person was on the member list, by the same email
   * (emails compare case-insensitively, as everywhere).
   */
  async confirmedEventIds(member: { id: string; email: string }): Promise<string[]> {
    const rows: { event_id: string }[] = await this.dataSource.query(
      `SELECT event_id FROM registrations WHERE status = 'confirmed' AND member_id = $1
       UNION
       SELECT event_id FROM registrations WHERE status = 'confirmed' AND lower(email) = lower($2)`,
      [member.id, member.email],
    );
    return rows.map((row) => row.event_id);
  }

  /** A member's registrations, every status, newest first; matched by member id or by the same email, as confirmedEventIds. */
  ofMember(member: { id: string; email: string }): Promise<Registration[]> {
    return this.dataSource
      .getRepository(Registration)
      .createQueryBuilder('registration')
      .where('registration.member_id = :id OR lower(registration.email) = lower(:email)', member)
      .orderBy('registration.created_at', 'DESC')
      .getMany();
  }

  /** The registration's status now, or null when it is gone. */
  async statusOf(registrationId: string): Promise<RegistrationStatus | null> {
    const rows: { status: RegistrationStatus }[] = await this.dataSource.query(`SELECT status FROM registrations WHERE id = $1`, [registrationId]);
    return rows[0]?.status ?? null;
  }
}
