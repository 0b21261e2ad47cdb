import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUOTA_RELEASE_QUEUE, REMINDER_PLANNING_QUEUE, RETENTION_QUEUE } from '../src/queue/queue.constants';
import { client } from './support/http';
import { waitUntil } from './support/mailbox';
import { queueBackends, startTestApp, TestApp } from './support/test-app';

/**
 * Periodic work runs as BullMQ job schedulers in the worker role (no timers in api processes),
 * and the retention job keeps link tokens and delivery records from growing for ever.
 */
describe.each(queueBackends())('periodic work with the %s queue backend', (queue) => {
  let t: TestApp;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await startTestApp({ queue });
    api = client(t.url, t.adminToken);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('registers one job scheduler per kind of periodic work', async () => {
    for (const [name, scheduler] of [
      [QUOTA_RELEASE_QUEUE, 'release-quotas'],
      [REMINDER_PLANNING_QUEUE, 'plan-reminders'],
      [RETENTION_QUEUE, 'retention'],
    ]) {
      const schedulers = await t.app.get<Queue>(getQueueToken(name)).getJobSchedulers();
      expect({ name, ids: schedulers.map((s) => s.key ?? s.id) }).toEqual({ name, ids: [scheduler] });
    }
  });

  it('deletes link tokens expired over a week ago and delivery records of long-past events, and keeps the rest', async () => {
    const member = await api.post('/api/members', { email: 'kept@retention.example', name: 'Kept', company: 'Retention', clusterCode: 'DC', locale: 'en' });
    const make = async (title: string) => {
      const created = await api.post('/api/events', {
        title,
        type: 'seminar',
        startsAt: '2027-11-01T10:00:00+09:00',
        endsAt: '2027-11-01T12:00:00+09:00',
        hostClusters: ['DC'],
      });
      await api.post(`/api/events/${created.body.id}/publish`);
      await api.post(`/api/events/${created.body.id}/invitations`, { memberIds: [member.body.id] });
      return created.body.id as string;
    };
    const old = await make('Long past');
    const recent = await make('Still ahead');
    await t.mailbox.waitFor((mails) => mails.filter((m) => m.envelopeTo.includes('kept@retention.example')).length === 2, 'both invitations');
    await waitUntil(
      async () => (await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE status = 'sent' AND recipient = 'kept@retention.example'`)).rows[0].n === 2,
      'both rows sent',
    );

    // The old event ended 200 days ago and its mail went out then; its token expired 10 days ago.
    await t.db.query(`UPDATE events SET starts_at = now() - interval '200 days 2 hours', ends_at = now() - interval '200 days' WHERE id = $1`, [old]);
    await t.db.query(`UPDATE outbox SET created_at = now() - interval '200 days' WHERE event_id = $1`, [old]);
    await t.db.query(`UPDATE link_tokens SET expires_at = now() - interval '10 days' WHERE event_id = $1`, [old]);
    // A token that expired yesterday still says "expired" for a while.
    await t.db.query(`UPDATE link_tokens SET expires_at = now() - interval '1 day' WHERE event_id = $1`, [recent]);
    const count = async (table: string, eventId: string) =>
      (await t.db.query(`SELECT count(*)::int AS n FROM ${table} WHERE event_id = $1`, [eventId])).rows[0].n;
    expect(await count('link_tokens', old)).toBeGreaterThan(0);

    const retention = t.app.get<Queue>(getQueueToken(RETENTION_QUEUE));
    const job = await retention.add('retention', {});
    await waitUntil(async () => (await job.getState()) === 'completed', 'the retention job to run', 30_000);
    expect(await count('outbox', old)).toBe(0);
    expect(await count('link_tokens', old)).toBe(0);
    expect(await count('outbox', recent)).toBe(1);
    expect(await count('link_tokens', recent)).toBeGreaterThan(0);
  });
});
