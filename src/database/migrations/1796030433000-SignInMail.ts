import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The console's sign-in mail (issue 9) is about no event: `outbox.event_id` becomes nullable. Only
 * that kind may lack an event, so every other reader (deliveries, retries, per-event backlog) keeps
 * finding each of its rows under its event.
 */
export class SignInMail1796030433000 implements MigrationInterface {
  name = 'SignInMail1796030433000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ALTER COLUMN event_id DROP NOT NULL`);
    await q.query(`ALTER TABLE outbox ADD CONSTRAINT outbox_event_needed CHECK (event_id IS NOT NULL OR kind = 'sign_in')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM outbox WHERE event_id IS NULL`);
    await q.query(`ALTER TABLE outbox DROP CONSTRAINT outbox_event_needed`);
    await q.query(`ALTER TABLE outbox ALTER COLUMN event_id SET NOT NULL`);
  }
}
