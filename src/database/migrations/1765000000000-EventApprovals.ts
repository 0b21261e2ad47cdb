import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Co-host approvals (issue 9): one row per co-host cluster that must approve an integrated seminar
 * proposed by another cluster's organizer before it can be published. Events made by a federation
 * admin, and the proposer's own clusters, have no row: they count as approved.
 */
export class EventApprovals1765000000000 implements MigrationInterface {
  name = 'EventApprovals1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE event_approvals (
        event_id     uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
        cluster_code varchar(16) NOT NULL REFERENCES clusters (code),
        status       varchar(12) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'declined')),
        reason       text,
        requested_by varchar(320) NOT NULL,
        decided_by   varchar(320),
        decided_at   timestamptz,
        PRIMARY KEY (event_id, cluster_code)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE event_approvals`);
  }
}
