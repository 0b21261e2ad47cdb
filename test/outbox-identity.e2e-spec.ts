import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { MAIL_QUEUE, mailJobId, SEND_MAIL_JOB } from '../src/queue/queue.constants';
import { client } from './support/http';
import { CapturedMail, waitUntil } from './support/mailbox';
import { queueBackends, startTestApp, TestApp } from './support/test-app';

/**
 * A mail is one message however often it is tried (the same Message-ID and the same personal
 * links), its job id can never be taken for another installation's or another database's job,
 * a pending row whose job finished or vanished is queued again, and the backlog is visible.
 */
describe.each(queueBackends())('outbox identity with the %s queue backend', (queue) => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let mailQueue: Queue;

  beforeAll(async () => {
    t = await startTestApp({ queue });
    api = client(t.url, t.adminToken);
    mailQueue = t.app.get<Queue>(getQueueToken(MAIL_QUEUE));
  });
  afterAll(async () => {
    await t?.close();
  });

  async function invite(email: string, cluster = 'ICT'): Promise<string> {
    const member = await api.post('/api/members', { email, name: 'Jay "J" Kim', company: 'Kim & Co', clusterCode: cluster, locale: 'en' });
    expect(member.status).toBe(201);
    const event = await api.post('/api/events', {
      title: 'Outbox drill',
      type: 'seminar',
      startsAt: '2027-09-01T10:00:00+09:00',
      endsAt: '2027-09-01T12:00:00+09:00',
      hostClusters: [cluster],
      audienceClusters: [cluster],
    });
    expect((await api.post(`/api/events/${event.body.id}/publish`)).status).toBe(200);
    expect((await api.post(`/api/events/${event.body.id}/invitations`, { memberIds: [member.body.id] })).body).toEqual({ queued: 1 });
    return event.body.id;
  }

  const links = (mail: CapturedMail) => [...new Set((mail.parsed.text ?? '').match(/https?:\/\/\S+\/[ru]\/[A-Za-z0-9_-]{43}/g) ?? [])].sort();
  const rowOf = async (eventId: string) =>
    (await t.db.query(`SELECT id::text AS id, status, message_key AS "messageKey", requeues FROM outbox WHERE event_id = $1`, [eventId])).rows[0];

  it('sends a retried mail as the same message: same Message-ID, same personal links', async () => {
    // The server takes the whole message, then answers 451: the worker must try again, as after a crash mid-send.
    t.mailbox.failNext(1, 451);
    const eventId = await invite('retry@same.example');
    await t.mailbox.waitFor(() => t.mailbox.to('retry@same.example').length === 1, 'the retried invitation');
    const [refused] = t.mailbox.refused.filter((mail) => mail.envelopeTo.includes('retry@same.example'));
    const [sent] = t.mailbox.to('retry@same.example');
    expect(refused).toBeDefined();

    const row = await rowOf(eventId);
    expect(sent.parsed.messageId).toBe(refused.parsed.messageId);
    expect(sent.parsed.messageId).toMatch(new RegExp(`^<${row.messageKey}@`));
    expect(links(sent).length).toBeGreaterThanOrEqual(2); // the invitation link and the unsubscribe link
    expect(links(sent)).toEqual(links(refused));
    expect((await t.db.query(`SELECT attempts FROM outbox WHERE id = $1`, [row.id])).rows[0].attempts).toBe(2);
    // Each link is still stored once, as a hash.
    expect((await t.db.query(`SELECT count(*)::int AS n FROM link_tokens WHERE event_id = $1`, [eventId])).rows[0].n).toBe(2);
  });

  it('sends a new row even when the queue holds a finished job under the id an old scheme or another installation gave it', async () => {
    // What a Redis that served another database holds: a completed job named after outbox row 1,
    // the first row of any fresh database (today's row ids start again at 1 there).
    for (const jobId of ['outbox-1', 'outbox-2', 'outbox-3']) {
      const job = await mailQueue.add(SEND_MAIL_JOB, { outboxId: '999999999' }, { jobId });
      await waitUntil(async () => (await job.getState()) === 'completed', `the foreign job ${jobId} to complete`);
    }
    const eventId = await invite('fresh@install.example', 'DC');
    await t.mailbox.waitFor(() => t.mailbox.to('fresh@install.example').length === 1, 'the invitation of the new row');
    await waitUntil(async () => (await rowOf(eventId)).status === 'sent', 'the row to be marked sent');
  });

  it('queues a pending row again when its job completed or is gone, and shows the backlog meanwhile', async () => {
    const eventId = await invite('again@relay.example', 'IMT');
    await t.mailbox.waitFor(() => t.mailbox.to('again@relay.example').length === 1, 'the first invitation');
    const row = await rowOf(eventId);

    // The row says pending although its job completed (a lost update, a job taken for another).
    await t.db.query(`UPDATE outbox SET status = 'pending', enqueued_at = now() - interval '2 minutes', created_at = now() - interval '1 hour' WHERE id = $1`, [
      row.id,
    ]);
    await t.mailbox.waitFor(() => t.mailbox.to('again@relay.example').length === 2, 'the row queued again after its job completed');
    await waitUntil(async () => (await rowOf(eventId)).status === 'sent', 'the row to be marked sent');
    expect(await rowOf(eventId)).toMatchObject({ status: 'sent', requeues: 1 });

    // Its job vanished (Redis flushed or lost).
    const job = await mailQueue.getJob(mailJobId(row.messageKey, 1));
    expect(job).toBeDefined();
    await job!.remove();
    // The relay does not look at it yet (queued just now): health and the deliveries API show the waiting mail.
    await t.db.query(`UPDATE outbox SET status = 'pending', enqueued_at = now() WHERE id = $1`, [row.id]);
    const health = await api.get('/health');
    expect(health.body.outbox.pending).toBeGreaterThanOrEqual(1);
    expect(health.body.outbox.oldestPendingSeconds).toBeGreaterThanOrEqual(3600);
    const backlog = await api.get(`/api/events/${eventId}/deliveries/backlog`);
    expect(backlog.status).toBe(200);
    expect(backlog.body).toEqual({ pending: 1, oldestPendingSeconds: expect.any(Number) });
    expect(backlog.body.oldestPendingSeconds).toBeGreaterThanOrEqual(3600);
    expect((await api.get(`/api/events/${eventId}/deliveries/backlog`, { token: null })).status).toBe(401);

    await t.db.query(`UPDATE outbox SET enqueued_at = now() - interval '2 minutes' WHERE id = $1`, [row.id]);
    await t.mailbox.waitFor(() => t.mailbox.to('again@relay.example').length === 3, 'the row queued again after its job vanished');
    await waitUntil(async () => (await rowOf(eventId)).status === 'sent', 'the row to be marked sent');
    expect(await rowOf(eventId)).toMatchObject({ status: 'sent', requeues: 2 });
    const copies = t.mailbox.to('again@relay.example');
    expect(new Set(copies.map((mail) => mail.parsed.messageId)).size).toBe(1);
    expect((await api.get(`/api/events/${eventId}/deliveries/backlog`)).body).toEqual({ pending: 0, oldestPendingSeconds: null });
  });
});
