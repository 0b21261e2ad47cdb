import { AppProcess } from './support/app-process';
import { client } from './support/http';
import { CapturedMail, waitUntil } from './support/mailbox';
import { queueBackends, startTestApp, TestApp } from './support/test-app';

/**
 * The worker marks sent rows in batches (OutboxSentBatcher, MAIL_SENT_BATCH_MS): one UPDATE for
 * every row the SMTP pool finished within the window. Invariants 1 and 10: a worker that dies
 * inside the window sends those mails again as the same messages, and a worker stopped with
 * SIGTERM writes its pending batch before it exits. Workers run as real processes, so a kill is a
 * real kill.
 */
describe('marking sent rows in batches', () => {
  const queue = queueBackends().at(-1)!;
  let t: TestApp;
  let api: ReturnType<typeof client>;
  const workers: AppProcess[] = [];

  const startWorker = async (env: Record<string, string>): Promise<AppProcess> => {
    const worker = new AppProcess({
      ROLE: 'worker',
      DATABASE_URL: t.databaseUrl,
      REDIS_URL: queue === 'redis' ? process.env.REDIS_URL : '',
      QUEUE_NAMESPACE: t.config.queue.namespace,
      SMTP_URL: t.mailbox.url,
      ADMIN_TOKEN: t.adminToken,
      // A killed worker's jobs come back after the lock; short, so the suite need not wait 30 s.
      JOB_LOCK_MS: '3000',
      LOG_LEVEL: 'info',
      ...env,
    }).start();
    workers.push(worker);
    await worker.waitForOutput('role=worker started');
    return worker;
  };

  beforeAll(async () => {
    t = await startTestApp({ queue, env: { ROLE: 'api' } });
    api = client(t.url, t.adminToken);
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop('SIGKILL')));
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A published event and its invitations to `count` new members (`<tag>-<i>@batch.example`); returns the event id and the addresses. */
  async function fanOut(tag: string, count: number): Promise<{ eventId: string; emails: string[] }> {
    const emails = Array.from({ length: count }, (_, i) => `${tag}-${i}@batch.example`);
    const csv = ['email,name,company,cluster,locale', ...emails.map((email, i) => `${email},"Kim ""${i}"" <&>",Batch Co,ICT,en`)].join('\n');
    expect((await api.post('/api/members/import', csv, { contentType: 'text/csv' })).body).toMatchObject({ created: count });
    const members = (await api.get<{ id: string; email: string }[]>('/api/members?cluster=ICT')).body.filter((m) => m.email.startsWith(`${tag}-`));
    const event = await api.post('/api/events', {
      title: `Batch drill ${tag}`,
      type: 'seminar',
      startsAt: '2027-11-02T14:00:00+09:00',
      endsAt: '2027-11-02T16:00:00+09:00',
      hostClusters: ['ICT'],
      audienceClusters: ['ICT'],
    });
    expect((await api.post(`/api/events/${event.body.id}/publish`)).status).toBe(200);
    expect((await api.post(`/api/events/${event.body.id}/invitations`, { clusters: [], memberIds: members.map((m) => m.id) })).body).toEqual({ queued: count });
    return { eventId: event.body.id, emails };
  }

  const rows = async (eventId: string) =>
    (
      await t.db.query<{ recipient: string; status: string; messageId: string | null; sentAt: Date | null }>(
        `SELECT recipient, status, message_id AS "messageId", sent_at AS "sentAt" FROM outbox WHERE event_id = $1 ORDER BY id`,
        [eventId],
      )
    ).rows;
  const mailsTo = (emails: string[]): CapturedMail[] => t.mailbox.messages.filter((mail) => emails.includes(mail.envelopeTo[0]));
  const links = (mail: CapturedMail) => [...new Set((mail.parsed.text ?? '').match(/https?:\/\/\S+\/[ru]\/[A-Za-z0-9_-]{43}/g) ?? [])].sort();

  it('marks every row of a fan-out sent, with the Message-ID that went out, several rows per UPDATE', async () => {
    await startWorker({ WORKER_CONCURRENCY: '20', MAIL_SENT_BATCH_MS: '200' });
    const { eventId, emails } = await fanOut('all', 60);
    await waitUntil(async () => (await rows(eventId)).every((row) => row.status === 'sent'), 'every row marked sent', 60_000, 100);
    const sent = await rows(eventId);
    expect(sent).toHaveLength(60);
    const delivered = new Map(mailsTo(emails).map((mail) => [mail.envelopeTo[0], mail.parsed.messageId]));
    expect(delivered.size).toBe(60);
    for (const row of sent) expect(row.messageId).toBe(delivered.get(row.recipient));
    // The rows of one UPDATE share its transaction's now(): fewer distinct times than rows means batches.
    const distinctTimes = new Set(sent.map((row) => row.sentAt!.getTime())).size;
    expect(distinctTimes).toBeLessThan(60);
  });

  it('sends the mails of a worker killed before its batch was written again, as the same messages', async () => {
    // A window far longer than the test, and fewer mails than worker slots, so only a flush at exit could write them.
    const first = await startWorker({ WORKER_CONCURRENCY: '5', MAIL_SENT_BATCH_MS: '60000' });
    const { eventId, emails } = await fanOut('crash', 3);
    await t.mailbox.waitFor(() => mailsTo(emails).length === 3, 'the three invitations');
    expect((await rows(eventId)).map((row) => row.status)).toEqual(['pending', 'pending', 'pending']);
    expect(await first.stop('SIGKILL')).toBe(-1);

    await startWorker({ WORKER_CONCURRENCY: '5', MAIL_SENT_BATCH_MS: '20' });
    await waitUntil(async () => (await rows(eventId)).every((row) => row.status === 'sent'), 'the rows sent by the second worker', 90_000, 200);
    const sent = await rows(eventId);
    for (const email of emails) {
      const copies = mailsTo([email]);
      expect(copies).toHaveLength(2);
      expect(copies[1].parsed.messageId).toBe(copies[0].parsed.messageId);
      expect(links(copies[0]).length).toBeGreaterThanOrEqual(2); // the invitation link and the unsubscribe link
      expect(links(copies[1])).toEqual(links(copies[0]));
      expect(sent.find((row) => row.recipient === email)!.messageId).toBe(copies[0].parsed.messageId);
    }
  });

  it('writes the pending batch when the worker is stopped with SIGTERM, and sends nothing twice', async () => {
    const worker = await startWorker({ WORKER_CONCURRENCY: '5', MAIL_SENT_BATCH_MS: '60000' });
    const { eventId, emails } = await fanOut('term', 2);
    await t.mailbox.waitFor(() => mailsTo(emails).length === 2, 'the two invitations');
    expect((await rows(eventId)).map((row) => row.status)).toEqual(['pending', 'pending']);
    const stoppedAt = Date.now();
    expect(await worker.stop('SIGTERM')).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(30_000); // not the 60 s window
    expect((await rows(eventId)).map((row) => row.status)).toEqual(['sent', 'sent']);
    expect(mailsTo(emails)).toHaveLength(2);
  });
});
