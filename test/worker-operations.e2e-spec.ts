import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { MAIL_QUEUE, mailJobId } from '../src/queue/queue.constants';
import { AppProcess } from './support/app-process';
import { ConsoleClient, signInToken } from './support/console-client';
import { freePort } from './support/free-port';
import { client } from './support/http';
import { waitUntil } from './support/mailbox';
import { queueBackends, startTestApp, TestApp } from './support/test-app';

const ADMIN = 'ops-admin@federation.test';

/** An ICT member and a published ICT event; returns what an invitation needs. */
async function eventWithOneMember(api: ReturnType<typeof client>, email: string): Promise<{ eventId: string; memberId: string }> {
  const member = await api.post('/api/members', { email, name: 'Request Trace', company: 'Trace Co', clusterCode: 'ICT', locale: 'en' });
  expect(member.status).toBe(201);
  const event = await api.post('/api/events', {
    title: `Ops seminar for ${email}`,
    type: 'seminar',
    startsAt: '2027-06-15T10:00:00+09:00',
    endsAt: '2027-06-15T12:00:00+09:00',
    hostClusters: ['ICT'],
    audienceClusters: ['ICT'],
  });
  expect((await api.post(`/api/events/${event.body.id}/publish`)).status).toBe(200);
  return { eventId: event.body.id, memberId: member.body.id };
}

/** The invitation request a proxy tagged with its own X-Request-Id. */
async function inviteWithRequestId(t: TestApp, eventId: string, memberId: string, requestId: string): Promise<void> {
  const response = await fetch(`${t.url}/api/events/${eventId}/invitations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({ clusters: [], memberIds: [memberId] }),
  });
  expect([response.status, response.headers.get('x-request-id')]).toEqual([202, requestId]);
}

describe.each(queueBackends())('the queue board and request ids with the %s queue backend', (queue) => {
  let t: TestApp;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await startTestApp({ queue, env: { ADMIN_EMAIL: ADMIN } });
    api = client(t.url, t.adminToken);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('carries the X-Request-Id of the request into the outbox row and the job it queues', async () => {
    const { eventId, memberId } = await eventWithOneMember(api, `trace-${queue}@member.test`);
    await inviteWithRequestId(t, eventId, memberId, `proxy-${queue}-7`);
    const row = (await t.db.query(`SELECT request_id, message_key FROM outbox WHERE event_id = $1`, [eventId])).rows[0];
    expect(row.request_id).toBe(`proxy-${queue}-7`);
    const mailQueue = t.app.get<Queue>(getQueueToken(MAIL_QUEUE));
    await waitUntil(async () => (await mailQueue.getJob(mailJobId(row.message_key))) !== undefined, 'the relay to queue the job');
    expect((await mailQueue.getJob(mailJobId(row.message_key)))!.data).toEqual({ outboxId: expect.any(String), requestId: `proxy-${queue}-7` });
  });

  it('shows Bull Board at /admin/queues to federation admins only: admin token or admin console session', async () => {
    const anonymous = await fetch(`${t.url}/admin/queues/api/queues`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ statusCode: 401, message: expect.stringContaining('federation admin') });

    expect((await api.post('/api/organizers', { email: `dc-${queue}@cluster.test`, role: 'cluster_organizer', clusters: ['DC'] })).status).toBe(201);
    const organizerId = (await api.get('/api/organizers')).body.find((o: { email: string }) => o.email === `dc-${queue}@cluster.test`).id;
    const organizerToken = (await api.post('/api/tokens', { name: 'dc script', organizerId })).body.token;
    expect((await fetch(`${t.url}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${organizerToken}` } })).status).toBe(403);

    const page = await fetch(`${t.url}/admin/queues`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    // Scripts only from this origin, even here.
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const board = await fetch(`${t.url}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    const queues = ((await board.json()) as { queues: { name: string }[] }).queues.map((entry) => entry.name);
    expect(queues).toEqual(expect.arrayContaining([expect.stringContaining('mail'), expect.stringContaining('reminders')]));

    // An admin signed in to the console opens it with the session cookie alone.
    const browser = new ConsoleClient(t.url);
    await browser.get('/console/sign-in');
    await browser.post('/console/sign-in', { email: ADMIN });
    await t.mailbox.waitFor(() => t.mailbox.to(ADMIN).length > 0, 'the sign-in mail');
    const token = signInToken(t.mailbox.to(ADMIN).at(-1)!.parsed.text);
    await browser.get(`/console/sign-in/${token}`);
    expect((await browser.post(`/console/sign-in/${token}`)).status).toBe(303);
    expect((await browser.get('/admin/queues/api/queues')).status).toBe(200);

    // A change with the session alone must come from the board's own page: another site's request is refused,
    // whatever it asks, before the board sees it; the board's page (same origin) gets through.
    const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const change = (headers: Record<string, string>) => fetch(`${t.url}/admin/queues/api/queues/pause`, { method: 'PUT', headers: { cookie, ...headers } });
    const foreign: Record<string, string>[] = [{}, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'https://evil.example' }];
    for (const headers of foreign) {
      const refused = await change(headers);
      expect([refused.status, ((await refused.json()) as { message: string }).message]).toEqual([403, expect.stringContaining('same origin')]);
    }
    expect((await change({ 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await change({ origin: new URL(t.url).origin })).status).toBe(200);
    // A token is not a cookie a browser sends by itself: no origin asked.
    expect((await fetch(`${t.url}/admin/queues/api/queues/resume`, { method: 'PUT', headers: { authorization: `Bearer ${t.adminToken}` } })).status).not.toBe(
      403,
    );
  });
});

/**
 * A worker process serves no API, but with METRICS_PORT it answers /metrics and /health/live on
 * its own port, and its log line for a mail carries the request id of the request that caused it.
 */
describe('a worker process', () => {
  const queue = queueBackends().at(-1)!;
  let t: TestApp;
  let worker: AppProcess | undefined;

  beforeAll(async () => {
    t = await startTestApp({ queue, env: { ROLE: 'api' } });
  });
  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await t?.close();
  });

  it('serves its metrics and liveness on METRICS_PORT and logs each mail with the request id that queued it', async () => {
    const metricsPort = await freePort();
    worker = new AppProcess({
      ROLE: 'worker',
      DATABASE_URL: t.databaseUrl,
      REDIS_URL: queue === 'redis' ? process.env.REDIS_URL : '',
      QUEUE_NAMESPACE: t.config.queue.namespace,
      SMTP_URL: t.mailbox.url,
      ADMIN_TOKEN: t.adminToken,
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: 'debug',
    }).start();
    await worker.waitForOutput(`worker metrics on port ${metricsPort}`);

    const { eventId, memberId } = await eventWithOneMember(client(t.url, t.adminToken), 'worker-trace@member.test');
    await inviteWithRequestId(t, eventId, memberId, 'edge-proxy-4242');
    await t.mailbox.waitFor(() => t.mailbox.to('worker-trace@member.test').length === 1, 'the invitation', 60_000);
    await waitUntil(() => worker!.output.includes('sent as'), 'the worker to log the send');
    const sentLine = worker.output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; requestId?: string; job?: { queue: string } })
      .find((line) => line.msg?.includes('(invitation) sent as'));
    expect(sentLine).toMatchObject({ requestId: 'edge-proxy-4242', job: { queue: 'mail' } });

    // The job completes once its row is marked sent, with the batch of MAIL_SENT_BATCH_MS after the send: the
    // scrape waits for that rather than racing it.
    const scrape = async () => {
      const answer = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(answer.status).toBe(200);
      return answer.text();
    };
    let text = await scrape();
    await waitUntil(async () => /^seminarhub_jobs_total\{queue="mail",outcome="completed"\} 1$/m.test((text = await scrape())), 'the mail job to complete');
    expect(text).toMatch(/^seminarhub_mails_total\{outcome="sent"\} 1$/m);
    expect(text).toMatch(/^seminarhub_jobs_total\{queue="mail",outcome="completed"\} 1$/m);
    expect(text).toMatch(/^seminarhub_queue_jobs\{queue="mail",state="waiting"\} 0$/m);
    expect(text).toMatch(/^seminarhub_outbox_oldest_pending_age_seconds 0$/m);
    expect(text).toContain('process_resident_memory_bytes');
    const live = await fetch(`http://127.0.0.1:${metricsPort}/health/live`);
    expect([live.status, await live.json()]).toEqual([200, expect.objectContaining({ status: 'ok' })]);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/api/events`)).status).toBe(404);

    expect(await worker.stop('SIGTERM')).toBe(0);
  });
});
