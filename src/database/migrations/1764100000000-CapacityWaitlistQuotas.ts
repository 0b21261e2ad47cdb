import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 3: registration window, per-cluster quotas with a release time, the waiting list order, check-in. */
export class CapacityWaitlistQuotas1764100000000 implements MigrationInterface {
  name = 'CapacityWaitlistQuotas1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE events
        ADD COLUMN registration_opens_at  timestamptz,
        ADD COLUMN registration_closes_at timestamptz,
        -- When reserved cluster seats not taken return to the open pool; null = 48 h before the start.
        ADD COLUMN quota_release_at       timestamptz,
        ADD COLUMN quota_released         boolean NOT NULL DEFAULT false,
        ADD CHECK (registration_closes_at IS NULL OR registration_opens_at IS NULL OR registration_closes_at > registration_opens_at)`);
    await q.query(`
      CREATE TABLE event_quotas (
        event_id     uuid NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        cluster_code varchar(16) NOT NULL REFERENCES clusters(code),
        seats        integer NOT NULL CHECK (seats > 0),
        PRIMARY KEY (event_id, cluster_code)
      )`);
    // Arrival order on the waiting list: a sequence, so concurrent joins get distinct, increasing numbers.
    await q.query(`CREATE SEQUENCE registrations_waitlist_seq`);
    await q.query(`
      ALTER TABLE registrations
        ADD COLUMN waitlist_order bigint,
        -- Which pool a confirmed seat was taken from: the registrant's cluster quota or the open pool.
        ADD COLUMN seat_pool      varchar(8) CHECK (seat_pool IN ('quota', 'open')),
        ADD COLUMN checked_in_at  timestamptz`);
    await q.query(`CREATE INDEX registrations_waitlist_idx ON registrations (event_id, waitlist_order) WHERE status = 'waitlisted'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX registrations_waitlist_idx`);
    await q.query(`ALTER TABLE registrations DROP COLUMN waitlist_order, DROP COLUMN seat_pool, DROP COLUMN checked_in_at`);
    await q.query(`DROP SEQUENCE registrations_waitlist_seq`);
    await q.query(`DROP TABLE event_quotas`);
    await q.query(
      `ALTER TABLE events DROP COLUMN registration_opens_at, DROP COLUMN registration_closes_at, DROP COLUMN quota_release_at, DROP COLUMN quota_released`,
    );
  }
}
