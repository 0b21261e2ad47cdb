import { getQueueToken } from '@nestjs/bullmq';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { bullRootOptions } from '../src/queue/queue-connection';
import { MAIL_QUEUE, mailJobId } from '../src/queue/queue.constants';
import { AppProcess } from './support/app-process';
import { client } from './support/http';
import { waitUntil } from './support/mailbox';
import { queueBackends, startTestApp, TestApp } from './support/test-app';

/**
 * The api and worker roles as separate processes, and the outbox's promise: nothing that must
 * reach a person is lost when the worker dies or SMTP fails, and nothing is sent twice.
 */
describe.each(queueBackends())('api and worker processes with the %s queue backend', (queue) => {
  // The in-process app gives us a fresh database and a queue namespace; it runs as role api so it
  // does not send mail itself.
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let processes: AppProcess[] = [];

  const roleEnv = (role: 'api' | 'worker', port: number) => ({
    ROLE: role,
    PORT: String(port),
    DATABASE_URL: t.databaseUrl,
    REDIS_URL: queue === 'redis' ? process.env.REDIS_URL : '',
    // The same queue as the in-process app, whose relay may be the one that enqueues the rows.
    QUEUE_NAMESPACE: t.config.queue.namespace,
    SMTP_URL: t.mailbox.url,
    ADMIN_TOKEN: t.adminToken,
    OUTBOX_RELAY_INTERVAL_MS: '200',
    // A killed worker's jobs come back after the lock; short here so the test need not wait 30 s.
    JOB_LOCK_MS: '3000',
    PUBLIC_URL: 'http://localhost:3999',
  });

  beforeAll(async () => {
    t = await startTestApp({ queue, env: { ROLE: 'api' } });
  });
  afterEach(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    processes = [];
  });
  afterAll(async () => {
    await t?.close();
  });

  it('runs api and worker as separate processes; a worker killed mid-way loses no mail and a new one sends each once', async () => {
    const apiProcess = new AppProcess(roleEnv('api', 0)).start();
    processes.push(apiProcess);
    await apiProcess.waitForOutput('role=api listening on');
    const port = Number(/listening on http:\/\/[^:]+(?::\d+)*:(\d+)/.exec(apiProcess.output.replace('[::1]', 'localhost'))?.[1]);
    api = client(`http://127.0.0.1:${port}`, t.adminToken);
    expect((await api.get('/health')).body).toMatchObject({ status: 'ok', role: 'api' });

    const csv = ['email,name,company,cluster,locale', ...Array.from({ length: 20 }, (_, i) => `m${i}@firm${i}.example,멤버${i},회사${i},ICT,ko`)].join('\n');
    expect((await api.post('/api/members/import', csv, { contentType: 'text/csv' })).body).toMatchObject({ created: 20 });
    const event = await api.post('/api/events', {
      title: 'Joint operating committee',
      type: 'committee',
      startsAt: '2027-04-13T16:00:00+09:00',
      endsAt: '2027-04-13T17:30:00+09:00',
      hostClusters: ['ICT'],
      audienceClusters: ['ICT'],
    });
    await api.post(`/api/events/${event.body.id}/publish`);

    // No worker yet: the invitations wait in the outbox and the queue, not in anyone's memory.
    expect((await api.post(`/api/events/${event.body.id}/invitations`, {})).body).toEqual({ queued: 20 });
    await waitUntil(async () => (await pendingEnqueued(t)) === 20, 'the relay to enqueue 20 rows');
    expect(t.mailbox.messages).toHaveLength(0);

    // A worker that is killed at once (SIGKILL, no cleanup) while it may be sending.
    const doomed = new AppProcess(roleEnv('worker', 0)).start();
    processes.push(doomed);
    await doomed.waitForOutput('role=worker started');
    await doomed.stop('SIGKILL');

    const worker = new AppProcess(roleEnv('worker', 0)).start();
    processes.push(worker);
    await t.mailbox.waitFor(() => t.mailbox.messages.length >= 20, 'all 20 invitations', 60_000);
    await waitUntil(async () => (await sentCount(t)) === 20, 'all 20 rows marked sent', 30_000);
    const recipients = t.mailbox.messages.map((m) => m.envelopeTo[0]);
    // At-least-once with a row check: a mail can be repeated only if the worker died between the
    // SMTP accept and the row update; the killed worker had no time to, so exactly one each.
    expect(new Set(recipients).size).toBe(20);
    expect(recipients).toHaveLength(20);

    // SIGTERM: the worker closes gracefully and the process exits 0.
    expect(await worker.stop('SIGTERM')).toBe(0);
    expect(await apiProcess.stop('SIGTERM')).toBe(0);
  });

  it('retries temporary SMTP failures, never retries permanent ones, and marks each row', async () => {
    const worker = new AppProcess({ ...roleEnv('worker', 0), MAIL_MAX_ATTEMPTS: '5' }).start();
    processes.push(worker);
    await worker.waitForOutput('role=worker started');
    const local = client(t.url, t.adminToken);
    await local.post('/api/members', { email: 'bounce@nowhere.example', name: 'Bounce', company: 'Nowhere', clusterCode: 'DC' });
    await local.post('/api/members', { email: 'later@retry.example', name: 'Later', company: 'Retry', clusterCode: 'DC' });
    const event = await local.post('/api/events', {
      title: 'DC tech exchange',
      type: 'tech_exchange',
      startsAt: '2027-05-20T10:00:00+09:00',
      endsAt: '2027-05-20T12:00:00+09:00',
      hostClusters: ['DC'],
      audienceClusters: ['DC'],
    });
    await local.post(`/api/events/${event.body.id}/publish`);

    const bounce = (await local.get('/api/members?cluster=DC')).body.find((m: { email: string }) => m.email === 'bounce@nowhere.example');
    const later = (await local.get('/api/members?cluster=DC')).body.find((m: { email: string }) => m.email === 'later@retry.example');
    const rowOf = async (email: string) =>
      (await t.db.query(`SELECT status, attempts, last_error FROM outbox WHERE event_id = $1 AND recipient = $2`, [event.body.id, email])).rows[0];

    // Temporary failures (421, RFC 5321 §4.2.1): retried with backoff until accepted, and sent once.
    t.mailbox.failNext(2, 421);
    await local.post(`/api/events/${event.body.id}/invitations`, { clusters: [], memberIds: [later.id] });
    await waitUntil(async () => (await rowOf('later@retry.example'))?.status === 'sent', 'the retried row to be sent', 60_000);
    expect(await rowOf('later@retry.example')).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    expect(t.mailbox.to('later@retry.example')).toHaveLength(1);

    // A permanent failure (550): no retry, the row is failed with the reason.
    t.mailbox.failNext(1, 550);
    await local.post(`/api/events/${event.body.id}/invitations`, { clusters: [], memberIds: [bounce.id] });
    await waitUntil(async () => (await rowOf('bounce@nowhere.example'))?.status === 'failed', 'the bounced row to fail', 30_000);
    // No retry is scheduled: BullMQ holds the job as failed after one attempt (a job to retry would be delayed).
    const { message_key: key } = (
      await t.db.query(`SELECT message_key FROM outbox WHERE event_id = $1 AND recipient = $2`, [event.body.id, 'bounce@nowhere.example'])
    ).rows[0];
    const bounced = await t.app.get<Queue>(getQueueToken(MAIL_QUEUE)).getJob(mailJobId(key));
    await waitUntil(async () => (await bounced!.getState()) === 'failed', 'the bounced job to fail for good');
    expect((await t.app.get<Queue>(getQueueToken(MAIL_QUEUE)).getJob(mailJobId(key)))!.attemptsMade).toBe(1);
    expect(await rowOf('bounce@nowhere.example')).toMatchObject({ status: 'failed', attempts: 1, last_error: expect.stringContaining('550') });
    expect(t.mailbox.to('bounce@nowhere.example')).toHaveLength(0);
  });

  it('queues a mail again when its job failed for good while the row stayed pending', async () => {
    const local = client(t.url, t.adminToken);
    await local.post('/api/members', { email: 'stuck@late.example', name: 'Stuck', company: 'Late Ltd', clusterCode: 'GREEN_IT' });
    const event = await local.post('/api/events', {
      title: 'Green IT SIG',
      type: 'sig_meeting',
      startsAt: '2027-07-01T15:00:00+09:00',
      endsAt: '2027-07-01T16:00:00+09:00',
      hostClusters: ['GREEN_IT'],
      audienceClusters: ['GREEN_IT'],
    });
    await local.post(`/api/events/${event.body.id}/publish`);

    // A worker that gives up on every job before touching its row, as one whose database was down would.
    const rogue = new Worker(
      MAIL_QUEUE,
      async () => {
        throw new UnrecoverableError('database unreachable');
      },
      bullRootOptions(t.config),
    );
    const mailQueue = t.app.get<Queue>(getQueueToken(MAIL_QUEUE));
    await local.post(`/api/events/${event.body.id}/invitations`, {});
    const row = async () => (await t.db.query(`SELECT id, status, message_key FROM outbox WHERE event_id = $1`, [event.body.id])).rows[0];
    await waitUntil(async () => {
      const current = await row();
      const job = current && (await mailQueue.getJob(mailJobId(current.message_key)));
      return !!job && (await job.getState()) === 'failed';
    }, 'the job to fail for good');
    await rogue.close();
    expect((await row()).status).toBe('pending');

    // Later (the relay looks again at rows enqueued over a minute ago), a healthy worker sends it once.
    await t.db.query(`UPDATE outbox SET enqueued_at = now() - interval '11 minutes' WHERE event_id = $1`, [event.body.id]);
    const worker = new AppProcess(roleEnv('worker', 0)).start();
    processes.push(worker);
    await waitUntil(async () => (await row()).status === 'sent', 'the stuck mail to be sent', 60_000);
    expect(t.mailbox.to('stuck@late.example')).toHaveLength(1);
  });
});

async function pendingEnqueued(t: TestApp): Promise<number> {
  const result = await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending' AND enqueued_at IS NOT NULL`);
  return result.rows[0].n;
}

async function sentCount(t: TestApp): Promise<number> {
  const result = await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE status = 'sent'`);
  return result.rows[0].n;
}
