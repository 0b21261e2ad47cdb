import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { generateKeyPairSync } from 'node:crypto';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { MAIL_QUEUE } from '../src/queue/queue.constants';
import { client } from './support/http';
import { waitUntil } from './support/mailbox';
import { queueBackends, startTestApp, TestApp } from './support/test-app';

/**
 * The operations part of the performance issue: outgoing mail signed with DKIM, Prometheus
 * metrics for the admin, liveness and readiness probes beside the unchanged /health.
 */
describe.each(queueBackends())('operations with the %s queue backend', (queue) => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKeyBase64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  let t: TestApp;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await startTestApp({
      queue,
      env: {
        MAIL_FROM: 'seminars@mail.seminarhub.test',
        DKIM_DOMAIN: 'mail.seminarhub.test',
        DKIM_SELECTOR: 'hub2026',
        // As an env file or a secret store often carries it: one line, \n for the line breaks.
        DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().replace(/\n/g, '\\n'),
      },
    });
    api = client(t.url, t.adminToken);
  });
  afterAll(async () => {
    await t?.close();
  });

  const members = new Map<string, string>();

  /** An invitation to a (new) member of ICT to a new event; resolves when it is queued. */
  async function invite(email: string, suffix = ''): Promise<void> {
    if (!members.has(email)) {
      const member = await api.post('/api/members', { email, name: 'Ops Test', company: 'Ops Inc.', clusterCode: 'ICT', locale: 'en' });
      expect(member.status).toBe(201);
      members.set(email, member.body.id);
    }
    const event = await api.post('/api/events', {
      title: `Ops drill ${email}${suffix}`,
      type: 'seminar',
      startsAt: '2027-06-15T10:00:00+09:00',
      endsAt: '2027-06-15T12:00:00+09:00',
      hostClusters: ['ICT'],
      audienceClusters: ['ICT'],
    });
    expect(event.status).toBe(201);
    expect((await api.post(`/api/events/${event.body.id}/publish`)).status).toBe(200);
    expect((await api.post(`/api/events/${event.body.id}/invitations`, { clusters: [], memberIds: [members.get(email)] })).body).toEqual({ queued: 1 });
  }

  /** One invitation to a new member; resolves when the SMTP server has it. */
  async function inviteOne(email: string): Promise<void> {
    await invite(email);
    await t.mailbox.waitFor(() => t.mailbox.to(email).length === 1, `the invitation to ${email}`);
  }

  async function inviteOneExpectingNoMail(email: string, suffix = ''): Promise<void> {
    await invite(email, suffix);
  }

  it('signs every mail with DKIM (d= and s= of the config) and the signature verifies with the published key', async () => {
    await inviteOne('dkim@member.test');
    const [mail] = t.mailbox.to('dkim@member.test');
    const header = (mail.parsed.headerLines.find((line) => line.key === 'dkim-signature')?.line ?? '').replace(/\s+/g, ' ');
    expect(header).toMatch(/[:;]\s*d=mail\.seminarhub\.test(;|$)/);
    expect(header).toMatch(/[:;]\s*s=hub2026(;|$)/);
    expect(header).toMatch(/[:;]\s*a=rsa-sha256(;|$)/);

    const lookups: string[] = [];
    const resolver = async (name: string, type: string) => {
      lookups.push(`${type} ${name}`);
      if (type === 'TXT' && name === 'hub2026._domainkey.mail.seminarhub.test') return [[`v=DKIM1; k=rsa; p=${publicKeyBase64}`]];
      throw Object.assign(new Error(`no ${type} for ${name}`), { code: 'ENOTFOUND' });
    };
    const verified = await dkimVerify(Buffer.from(mail.raw), { resolver });
    expect(lookups).toContain('TXT hub2026._domainkey.mail.seminarhub.test');
    expect(verified.results).toHaveLength(1);
    expect(verified.results[0]).toMatchObject({ signingDomain: 'mail.seminarhub.test', selector: 'hub2026', status: { result: 'pass' } });

    // The same mail with its body changed fails: the signature covers the body.
    const tampered = mail.raw.replace(/Ops drill/, 'Ops drilL');
    expect(tampered).not.toBe(mail.raw);
    const broken = await dkimVerify(Buffer.from(tampered), { resolver });
    expect(broken.results[0].status.result).not.toBe('pass');
  });

  /** One sample of the exposition: the value of `name` with exactly these labels. */
  function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
    for (const line of text.split('\n')) {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match || match[1] !== name) continue;
      const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      if (Object.keys(found).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
    }
    return undefined;
  }

  it('serves Prometheus metrics to the admin token only, with the queue, outbox, mail, registration and HTTP figures', async () => {
    expect((await client(t.url).get('/metrics')).status).toBe(401);

    await inviteOne('metrics@member.test');
    // A public registration (pending its emailed confirmation), so a status has a count.
    const events = await api.get('/api/events');
    const eventId = (events.body as { id: string; title: string }[]).find((e) => e.title === 'Ops drill metrics@member.test')!.id;
    expect((await client(t.url).post(`/api/events/${eventId}/registrations`, { email: 'walk-in@member.test', name: 'Walk In' })).status).toBe(202);
    await t.mailbox.waitFor(() => t.mailbox.to('walk-in@member.test').length === 1, 'the opt-in mail');

    // The mailbox holds a mail as soon as the SMTP server took it; the worker counts it once the server's answer
    // is back (and its job is done), a moment later: the scrape waits for that.
    let scraped = await api.get('/metrics');
    await waitUntil(async () => {
      scraped = await api.get('/metrics');
      const counted = (name: string, labels: Record<string, string>) => (sample(scraped.text, name, labels) ?? 0) >= 3;
      return counted('seminarhub_mails_total', { outcome: 'sent' }) && counted('seminarhub_jobs_total', { queue: 'mail', outcome: 'completed' });
    }, 'the three mails to be counted');
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(scraped.headers.get('cache-control')).toBe('no-store');
    const text = scraped.text;
    // Default process metrics.
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    // Mails: both sent (the DKIM test's and these), none failed or suppressed.
    expect(sample(text, 'seminarhub_mails_total', { outcome: 'sent' })).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'seminarhub_mails_total', { outcome: 'failed' })).toBe(0);
    expect(sample(text, 'seminarhub_mails_total', { outcome: 'suppressed' })).toBe(0);
    expect(sample(text, 'seminarhub_jobs_total', { queue: 'mail', outcome: 'completed' })).toBeGreaterThanOrEqual(3);
    // Queue depth per queue and state; the mail queue has nothing waiting once everything was sent.
    for (const state of ['waiting', 'active', 'delayed', 'failed']) {
      expect(sample(text, 'seminarhub_queue_jobs', { queue: 'mail', state })).toBeGreaterThanOrEqual(0);
    }
    expect(sample(text, 'seminarhub_queue_jobs', { queue: 'mail', state: 'failed' })).toBe(0);
    expect(sample(text, 'seminarhub_queue_jobs', { queue: 'reminders', state: 'delayed' })).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'seminarhub_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'seminarhub_outbox_pending')).toBeGreaterThanOrEqual(0);
    // Registrations by status: the walk-in and the invited member's pending rows, every status listed.
    expect(sample(text, 'seminarhub_registrations', { status: 'pending_confirmation' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'seminarhub_registrations', { status: 'confirmed' })).toBe(0);
    // HTTP latency by route pattern, never a raw path.
    expect(sample(text, 'seminarhub_http_request_duration_seconds_count', { method: 'POST', route: '/api/events/:id/registrations', status: '202' })).toBe(1);
    expect(sample(text, 'seminarhub_http_request_duration_seconds_count', { method: 'GET', route: '/metrics', status: '401' })).toBe(1);
    expect(text).not.toContain(eventId);
    expect(text).not.toMatch(/route="\/r\/[^:]/);

    // A wrong token is no better than none.
    const outsider = await client(t.url).get('/metrics', { token: 'not-a-token' });
    expect(outsider.status).toBe(401);
  });

  it('counts a suppressed mail and a failed attempt', async () => {
    const before = (await api.get('/metrics')).text;
    const failedBefore = sample(before, 'seminarhub_mails_total', { outcome: 'failed' })!;
    t.mailbox.failNext(1, 550);
    await inviteOneExpectingNoMail('bounce-metrics@member.test');
    await waitUntil(
      async () => sample((await api.get('/metrics')).text, 'seminarhub_mails_total', { outcome: 'failed' }) === failedBefore + 1,
      'the failure to be counted',
    );
    await inviteOneExpectingNoMail('bounce-metrics@member.test', 'second');
    await waitUntil(
      async () => sample((await api.get('/metrics')).text, 'seminarhub_mails_total', { outcome: 'suppressed' }) === 1,
      'the suppression to be counted',
    );
  });

  it('answers liveness and readiness, and keeps GET /health as it was', async () => {
    const anonymous = client(t.url);
    const live = await anonymous.get('/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({
      status: 'ok',
      info: { process: { status: 'up', uptimeSeconds: expect.any(Number) } },
      error: {},
      details: { process: { status: 'up', uptimeSeconds: expect.any(Number) } },
    });
    const ready = await anonymous.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, queue: { status: 'up', backend: queue } }, error: {} });

    const health = await anonymous.get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({
      status: 'ok',
      role: 'all',
      checks: { database: 'up', queue: { backend: queue, status: 'up' } },
      outbox: expect.any(Object),
    });
    expect(Object.keys(health.body.outbox as object).sort()).toEqual(['oldestPendingSeconds', 'pending']);
  });

  it('is not ready, but still live, when the queue backend does not answer', async () => {
    const mailQueue = t.app.get<Queue>(getQueueToken(MAIL_QUEUE));
    const spy = jest.spyOn(mailQueue, 'getJobCounts').mockRejectedValue(new Error('connection refused'));
    try {
      const ready = await client(t.url).get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        status: 'error',
        info: { database: { status: 'up' } },
        error: { queue: { status: 'down', backend: queue, message: 'connection refused' } },
      });
      expect((await client(t.url).get('/health/live')).status).toBe(200);
      expect((await client(t.url).get('/health')).status).toBe(503);
    } finally {
      spy.mockRestore();
    }
    expect((await client(t.url).get('/health/ready')).status).toBe(200);
  });

  it('gives every request an id, echoed as X-Request-Id, keeping the one a proxy sent', async () => {
    const fresh = await fetch(`${t.url}/events`);
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await fetch(`${t.url}/api/events`, { headers: { 'x-request-id': 'proxy-42' } });
    expect(kept.headers.get('x-request-id')).toBe('proxy-42');
  });
});
