import { AppProcess } from './support/app-process';
import { client } from './support/http';
import { CapturedMail, waitUntil } from './support/mailbox';
import { RedisServer } from './support/redis-server';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Faults during a fan-out, with real processes (issue 11): a worker killed with SIGKILL, the SMTP
 * server gone for a while, Redis restarted. Invariant 1 and 10 of the architecture: every mail
 * arrives, and a mail sent twice (a worker that died between the SMTP accept and marking its row)
 * is the same message, with the same Message-ID. The queue is on a redis-server of the suite's own
 * (AOF, noeviction, as production runs it), so restarting it touches no other suite.
 */
describe('faults during a fan-out', () => {
  let t: TestApp;
  let redis: RedisServer;
  let api: ReturnType<typeof client>;
  const workers: AppProcess[] = [];

  const startWorker = async (): Promise<AppProcess> => {
    const worker = new AppProcess({
      ROLE: 'worker',
      DATABASE_URL: t.databaseUrl,
      REDIS_URL: redis.url,
      QUEUE_NAMESPACE: t.config.queue.namespace,
      SMTP_URL: t.mailbox.url,
      ADMIN_TOKEN: t.adminToken,
      WORKER_CONCURRENCY: '20',
      // A killed worker's jobs come back after the lock; short, so the suite need not wait 30 s.
      JOB_LOCK_MS: '3000',
      LOG_LEVEL: 'info',
    }).start();
    workers.push(worker);
    await worker.waitForOutput('role=worker started');
    return worker;
  };

  beforeAll(async () => {
    redis = await RedisServer.start();
    t = await startTestApp({ queue: 'redis', redisUrl: redis.url, env: { ROLE: 'api' } });
    api = client(t.url, t.adminToken);
    const csv = [
      'email,name,company,cluster,locale',
      ...Array.from({ length: 2000 }, (_, i) => `p${i}@fault${i % 50}.example,참가자${i},회사${i % 50},ICT,ko`),
    ];
    expect((await api.post('/api/members/import', csv.join('\n'), { contentType: 'text/csv' })).body).toMatchObject({ created: 2000 });
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop('SIGKILL')));
  });
  afterAll(async () => {
    await t?.close();
    await redis?.remove();
  });

  /** A published ICT event and its invitations to the first `count` members; returns the event id. */
  async function fanOut(title: string, count: number): Promise<string> {
    const event = await api.post('/api/events', {
      title,
      type: 'seminar',
      startsAt: '2027-10-05T14:00:00+09:00',
      endsAt: '2027-10-05T16:00:00+09:00',
      hostClusters: ['ICT'],
      audienceClusters: ['ICT'],
    });
    expect((await api.post(`/api/events/${event.body.id}/publish`)).status).toBe(200);
    const members = (await api.get<{ id: string; email: string }[]>('/api/members?cluster=ICT')).body;
    const chosen = members.sort((a, b) => a.email.localeCompare(b.email)).slice(0, count);
    expect((await api.post(`/api/events/${event.body.id}/invitations`, { clusters: [], memberIds: chosen.map((m) => m.id) })).body).toEqual({ queued: count });
    return event.body.id;
  }

  const mailsOf = (title: string): CapturedMail[] => t.mailbox.messages.filter((mail) => (mail.parsed.subject ?? '').includes(title));
  const sentRows = async (eventId: string): Promise<number> =>
    (await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE event_id = $1 AND status = 'sent'`, [eventId])).rows[0].n;

  /** Every one of `count` invited people got the mail; where one got it twice, it is the same message. */
  async function expectAllDeliveredOnce(eventId: string, title: string, count: number, timeoutMs: number): Promise<void> {
    await waitUntil(async () => (await sentRows(eventId)) === count, `all ${count} rows of "${title}" sent`, timeoutMs, 500);
    const byRecipient = new Map<string, Set<string>>();
    for (const mail of mailsOf(title)) {
      const ids = byRecipient.get(mail.envelopeTo[0]) ?? new Set<string>();
      ids.add(mail.parsed.messageId ?? '');
      byRecipient.set(mail.envelopeTo[0], ids);
    }
    expect(byRecipient.size).toBe(count);
    expect([...byRecipient].filter(([, ids]) => ids.size !== 1)).toEqual([]);
    const failed = await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE event_id = $1 AND status <> 'sent'`, [eventId]);
    expect(failed.rows[0].n).toBe(0);
  }

  it('loses none of 2,000 invitations when the worker is killed (SIGKILL) in the middle and started again', async () => {
    const title = '장애 훈련 1: worker SIGKILL';
    const first = await startWorker();
    const eventId = await fanOut(title, 2000);
    await waitUntil(() => mailsOf(title).length >= 400, 'a fifth of the fan-out to arrive', 120_000, 50);
    expect(await first.stop('SIGKILL')).toBe(-1);
    const delivered = mailsOf(title).length;
    expect(delivered).toBeLessThan(2000);
    await startWorker();
    await expectAllDeliveredOnce(eventId, title, 2000, 240_000);
  }, 300_000);

  it('delivers every invitation when the SMTP server is down for 10 s during a fan-out', async () => {
    const title = '장애 훈련 2: SMTP down';
    await startWorker();
    const eventId = await fanOut(title, 300);
    await waitUntil(() => mailsOf(title).length >= 50, 'the fan-out to start arriving', 60_000, 50);
    const port = t.mailbox.port;
    await t.mailbox.stop();
    // 10 s: with the retry schedule (2 s doubling, MAIL_MAX_ATTEMPTS 8) a mail fails three times in it, and
    // still has attempts left for far longer (about 4 minutes): a longer outage tests nothing more here.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    expect(await sentRows(eventId)).toBeLessThan(300);
    await t.mailbox.start(port);
    await expectAllDeliveredOnce(eventId, title, 300, 120_000);
  }, 180_000);

  it('loses nothing when Redis restarts during a fan-out', async () => {
    const title = '장애 훈련 3: Redis restart';
    await startWorker();
    const eventId = await fanOut(title, 300);
    await waitUntil(() => mailsOf(title).length >= 50, 'the fan-out to start arriving', 60_000, 50);
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await sentRows(eventId)).toBeLessThan(300);
    await redis.run();
    await expectAllDeliveredOnce(eventId, title, 300, 150_000);
  }, 200_000);
});
