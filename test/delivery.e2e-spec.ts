import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { REMIND_JOB, REMINDER_QUEUE } from '../src/queue/queue.constants';
import { client } from './support/http';
import { CapturedMail, Mailbox, waitUntil, pressLink } from './support/mailbox';
import { queueBackends, startTestApp, TestApp } from './support/test-app';
import type { Locale } from '../src/common/templates/locales';

/**
 * Issue 4, delivery tracking, suppression and unsubscribe: every mail is a row with its state;
 * an SMTP outage delays mail but loses none and repeats none; a permanent bounce suppresses the
 * address (organizers see it, lift it and retry); an unsubscribe (RFC 8058 one-click) stops
 * invitations and reminders but never the mail about one's own registration.
 */
describe.each(queueBackends())('delivery tracking, suppression and unsubscribe with the %s queue backend', (queue) => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  const extraMailboxes: Mailbox[] = [];

  beforeAll(async () => {
    // Enough attempts to outlast the SMTP outage below (backoff 2 s, 4 s, 8 s, …).
    t = await startTestApp({ queue, env: { MAIL_MAX_ATTEMPTS: '12' } });
    api = client(t.url, t.adminToken);
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all(extraMailboxes.map((mailbox) => mailbox.stop()));
  });

  /** DELETE, which the JSON client does not offer. */
  async function del(token: string | undefined, path: string): Promise<{ status: number; body: any }> {
    const response = await fetch(`${t.url}${path}`, { method: 'DELETE', headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async function member(email: string, name: string, clusterCode: string, locale: Locale = 'en'): Promise<string> {
    const created = await api.post('/api/members', { email, name, company: `${name} Inc.`, clusterCode, locale });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  async function publishedEvent(title: string, cluster: string, startsAt = '2027-06-15T10:00:00+09:00', endsAt = '2027-06-15T12:00:00+09:00') {
    const created = await api.post('/api/events', { title, type: 'seminar', startsAt, endsAt, hostClusters: [cluster], audienceClusters: [cluster] });
    expect(created.status).toBe(201);
    expect((await api.post(`/api/events/${created.body.id}/publish`)).status).toBe(200);
    return created.body as { id: string; uid: string };
  }

  async function rowsOf(
    eventId: string,
    recipient: string,
  ): Promise<{ id: string; kind: string; status: string; attempts: number; last_error: string | null }[]> {
    const { rows } = await t.db.query(
      `SELECT id::text AS id, kind, status, attempts, last_error FROM outbox WHERE event_id = $1 AND lower(recipient) = lower($2) ORDER BY id`,
      [eventId, recipient],
    );
    return rows;
  }

  it('fails a permanent bounce at once, suppresses the address, lists it, and sends again once lifted and retried', async () => {
    const bouncer = await member('gone@bounce.example', 'Gone', 'DC');
    const first = await publishedEvent('DC bounce drill', 'DC');

    t.mailbox.failNext(1, 550);
    expect((await api.post(`/api/events/${first.id}/invitations`, { clusters: [], memberIds: [bouncer] })).body).toEqual({ queued: 1 });
    await waitUntil(async () => (await rowsOf(first.id, 'gone@bounce.example'))[0]?.status === 'failed', 'the bounced row to fail');
    const [failed] = await rowsOf(first.id, 'gone@bounce.example');
    expect(failed).toMatchObject({ kind: 'invitation', status: 'failed', attempts: 1, last_error: expect.stringContaining('550') });
    expect(t.mailbox.to('gone@bounce.example')).toHaveLength(0);

    // The address is on the suppression list, for all mail.
    const suppressions = await api.get('/api/suppressions');
    expect(suppressions.status).toBe(200);
    expect(suppressions.body).toContainEqual({
      email: 'gone@bounce.example',
      reason: 'bounce',
      scope: 'all',
      detail: expect.stringContaining('550'),
      createdAt: expect.any(String),
    });

    // The organizer's view of the event's deliveries, filtered by status.
    const failedList = await api.get(`/api/events/${first.id}/deliveries?status=failed`);
    expect(failedList.status).toBe(200);
    expect(failedList.body).toEqual([
      {
        id: failed.id,
        kind: 'invitation',
        recipient: 'gone@bounce.example',
        status: 'failed',
        attempts: 1,
        lastError: expect.stringContaining('550'),
        messageId: null,
        sentAt: null,
        createdAt: expect.any(String),
      },
    ]);
    expect((await api.get(`/api/events/${first.id}/deliveries?status=sent`)).body).toEqual([]);
    expect((await api.get(`/api/events/${first.id}/deliveries`)).body).toHaveLength(1);

    // While suppressed, a retry leaves the row failed and counts nothing.
    expect(await api.post(`/api/events/${first.id}/deliveries/retry`, {})).toMatchObject({ status: 202, body: { requeued: 0 } });
    expect((await rowsOf(first.id, 'gone@bounce.example'))[0].status).toBe('failed');

    // Later mail to the address is skipped without a send: an invitation, and even an essential
    // opt-in (a bounced address gets nothing), whatever the case of the address.
    const second = await publishedEvent('DC bounce drill 2', 'DC');
    await api.post(`/api/events/${second.id}/invitations`, { clusters: [], memberIds: [bouncer] });
    expect((await client(t.url).post(`/api/events/${second.id}/registrations`, { email: 'Gone@Bounce.example', name: 'Gone' })).status).toBe(202);
    await waitUntil(async () => {
      const rows = await rowsOf(second.id, 'gone@bounce.example');
      return rows.length === 2 && rows.every((row) => row.status === 'skipped');
    }, 'the later mails to the bounced address to be skipped');
    for (const row of await rowsOf(second.id, 'gone@bounce.example')) {
      expect(row).toMatchObject({ status: 'skipped', attempts: 0, last_error: 'suppressed: bounce' });
    }
    expect((await api.get(`/api/events/${second.id}/deliveries?status=skipped`)).body.map((d: { kind: string }) => d.kind).sort()).toEqual([
      'invitation',
      'registration_opt_in',
    ]);
    expect(t.mailbox.to('gone@bounce.example')).toHaveLength(0);

    // Lift it (the address is matched case-insensitively), then retry: the invitation goes out once.
    expect((await del(t.adminToken, '/api/suppressions/GONE@bounce.example')).status).toBe(204);
    expect((await del(t.adminToken, '/api/suppressions/gone@bounce.example')).status).toBe(404);
    expect((await api.get('/api/suppressions')).body.map((s: { email: string }) => s.email)).not.toContain('gone@bounce.example');
    const retried = await api.post(`/api/events/${first.id}/deliveries/retry`, { ids: [failed.id] });
    expect(retried).toMatchObject({ status: 202, body: { requeued: 1 } });
    await waitUntil(async () => (await rowsOf(first.id, 'gone@bounce.example'))[0].status === 'sent', 'the retried row to be sent');
    await t.mailbox.waitFor(() => t.mailbox.to('gone@bounce.example').length === 1, 'the retried invitation');
    const [sent] = (await api.get(`/api/events/${first.id}/deliveries?status=sent`)).body;
    // attempts are kept across a retry: one bounce, one success.
    expect(sent).toMatchObject({
      id: failed.id,
      status: 'sent',
      attempts: 2,
      lastError: null,
      messageId: expect.stringMatching(/^<.+@.+>$/),
      sentAt: expect.any(String),
    });
    expect(t.mailbox.to('gone@bounce.example')[0].parsed.messageId).toBe(sent.messageId);
    // Retrying again finds nothing failed.
    expect((await api.post(`/api/events/${first.id}/deliveries/retry`, {})).body).toEqual({ requeued: 0 });
  });

  it('validates the delivery and suppression endpoints and keeps them for organizers', async () => {
    const event = await publishedEvent('Validation drill', 'DC');
    const bad = async (answer: Promise<{ status: number; body: { message: string[] } }>, status: number, message?: string) => {
      const result = await answer;
      expect(result.status).toBe(status);
      if (message) expect(result.body.message).toContain(message);
    };
    await bad(api.get(`/api/events/${event.id}/deliveries?status=lost`), 400, 'status must be one of pending, sent, failed, skipped');
    await bad(api.get(`/api/events/${event.id}/deliveries?color=red`), 400, 'property color should not exist');
    await bad(api.get('/api/events/not-a-uuid/deliveries'), 400, 'id must be a UUID');
    await bad(api.get('/api/events/00000000-0000-4000-8000-000000000000/deliveries'), 404);
    await bad(api.post(`/api/events/${event.id}/deliveries/retry`, { ids: ['x1'] }), 400, 'each value in ids must be a delivery id (a string of digits)');
    await bad(api.post(`/api/events/${event.id}/deliveries/retry`, { ids: '1' }), 400, 'ids must be an array of delivery ids');
    await bad(api.post(`/api/events/${event.id}/deliveries/retry`, { ids: ['1', '1'] }), 400, 'ids must not repeat an id');
    await bad(api.post('/api/events/00000000-0000-4000-8000-000000000000/deliveries/retry', {}), 404);
    await bad(del(t.adminToken, '/api/suppressions/not-an-address'), 400, 'email must be an email');
    const anonymous = client(t.url);
    for (const answer of [
      anonymous.get(`/api/events/${event.id}/deliveries`),
      anonymous.post(`/api/events/${event.id}/deliveries/retry`, {}),
      anonymous.get('/api/suppressions'),
      del(undefined, '/api/suppressions/gone@bounce.example'),
    ]) {
      expect((await answer).status).toBe(401);
    }
    // The API is in the OpenAPI document.
    const paths = Object.keys((await api.get('/api/docs-json')).body.paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/api/events/{id}/deliveries', '/api/events/{id}/deliveries/retry', '/api/suppressions', '/api/suppressions/{email}']),
    );
  });

  it('unsubscribes with one click from invitations and reminders only; the page changes nothing; essential mail still goes out', async () => {
    const una = await member('una@optout.example', 'Una Opt', 'GREEN_IT', 'en');
    const bora = await member('bora@optout.example', '김보라', 'GREEN_IT', 'ko');
    const event = await publishedEvent('Green IT forum', 'GREEN_IT', '2027-09-01T14:00:00+09:00', '2027-09-01T16:00:00+09:00');
    expect((await api.post(`/api/events/${event.id}/invitations`, { clusters: [], memberIds: [una, bora] })).body).toEqual({ queued: 2 });
    await t.mailbox.waitFor(() => t.mailbox.to('una@optout.example').length === 1 && t.mailbox.to('bora@optout.example').length === 1, 'two invitations');

    const invitation = t.mailbox.to('una@optout.example')[0];
    const listUnsubscribe = header(invitation, 'List-Unsubscribe');
    const match = /^<(http:\/\/127\.0\.0\.1:\d+\/u\/([A-Za-z0-9_-]{43}))>, <mailto:green-it-office@seminarhub\.localhost\?subject=unsubscribe>$/.exec(
      listUnsubscribe ?? '',
    );
    expect({ listUnsubscribe, matches: match !== null }).toEqual({ listUnsubscribe, matches: true });
    const [, unsubscribeUrl, token] = match!;
    expect(unsubscribeUrl.startsWith(`${t.url}/u/`)).toBe(true);
    expect(header(invitation, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(invitation.parsed.text).toContain(`To stop receiving invitations and reminders: ${unsubscribeUrl}`);
    expect(invitation.parsed.html).toContain(`href="${unsubscribeUrl}"`);
    // Add-to-calendar links in the invitation.
    expect(invitation.parsed.text).toMatch(/Add to Google Calendar: https:\/\/calendar\.google\.com\/calendar\/render\?action=TEMPLATE&\S+/);
    expect(invitation.parsed.text).toMatch(/Add to Outlook: https:\/\/outlook\.live\.com\/calendar\/0\/action\/compose\?\S+/);
    const koInvitation = t.mailbox.to('bora@optout.example')[0];
    expect(koInvitation.parsed.text).toMatch(/행사 초대와 리마인더 메일을 더 이상 받지 않으려면: http:\/\/127\.0\.0\.1:\d+\/u\/[A-Za-z0-9_-]{43}/);
    expect(koInvitation.parsed.text).toContain('Google 캘린더에 추가: https://calendar.google.com/');
    // Each mail has its own token.
    expect(header(koInvitation, 'List-Unsubscribe')).not.toContain(token);

    // Opening the link (a mail scanner, twice) shows a page with one button and changes nothing.
    for (let i = 0; i < 2; i++) {
      const page = await fetch(unsubscribeUrl);
      expect(page.status).toBe(200);
      expect(page.headers.get('x-robots-tag')).toBe('noindex');
      const html = await page.text();
      expect(html).toContain(`<form method="post" action="/u/${token}">`);
      expect(html).toContain('una@optout.example');
      expect(html).toContain('<button type="submit">Unsubscribe</button>');
    }
    expect((await api.get('/api/suppressions')).body.map((s: { email: string }) => s.email)).not.toContain('una@optout.example');

    // RFC 8058 one-click: a POST with List-Unsubscribe=One-Click, no browser, no cookies. Repeatable.
    for (let i = 0; i < 2; i++) {
      const oneClick = await fetch(unsubscribeUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(oneClick.status).toBe(200);
      expect(await oneClick.text()).toContain('will no longer receive invitations or reminders');
    }
    expect((await api.get('/api/suppressions')).body).toContainEqual({
      email: 'una@optout.example',
      reason: 'unsubscribe',
      scope: 'non_essential',
      detail: 'List-Unsubscribe one-click',
      createdAt: expect.any(String),
    });
    // The page's button (a form POST with an empty body) does the same, in the member's language.
    const boraUrl = /<(http[^>]+\/u\/[A-Za-z0-9_-]{43})>/.exec(header(koInvitation, 'List-Unsubscribe') ?? '')![1];
    expect(await (await fetch(boraUrl)).text()).toContain('수신 거부하기');
    const pressed = await fetch(boraUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(pressed.status).toBe(200);
    expect(await pressed.text()).toContain('더 이상 행사 초대와 리마인더 메일을 보내지 않습니다');
    expect((await api.get('/api/suppressions')).body).toContainEqual(
      expect.objectContaining({ email: 'bora@optout.example', scope: 'non_essential', detail: 'unsubscribe page' }),
    );

    // A bad or foreign token unsubscribes no one.
    expect((await fetch(`${t.url}/u/${'A'.repeat(43)}`, { method: 'POST' })).status).toBe(404);
    const acceptLink = new RegExp(`${escapeRegExp(t.url)}/r/([A-Za-z0-9_-]{43})`).exec(invitation.parsed.text ?? '')!;
    expect((await fetch(`${t.url}/u/${acceptLink[1]}`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${t.url}/r/${token}`)).status).toBe(404);

    // Una still accepts the invitation: her confirmation is essential mail, sent, without List-Unsubscribe.
    expect((await pressLink(acceptLink[0])).status).toBe(200);
    await t.mailbox.waitFor(() => t.mailbox.to('una@optout.example').length === 2, 'the confirmation');
    const confirmation = t.mailbox.to('una@optout.example')[1];
    expect(confirmation.parsed.subject).toBe("You're registered: Green IT forum");
    expect(header(confirmation, 'List-Unsubscribe')).toBeUndefined();
    expect(header(confirmation, 'List-Unsubscribe-Post')).toBeUndefined();
    expect(confirmation.parsed.text).not.toContain('/u/');
    expect(confirmation.parsed.text).toContain('Add to Google Calendar: https://calendar.google.com/');

    // A reminder of the event (its job run now) is written for her but skipped, not sent.
    const reminders = t.app.get<Queue>(getQueueToken(REMINDER_QUEUE));
    await reminders.add(REMIND_JOB, { eventId: event.id, offsetMinutes: 1440, startsAtEpoch: Date.parse('2027-09-01T14:00:00+09:00') });
    await waitUntil(
      async () => (await rowsOf(event.id, 'una@optout.example')).some((row) => row.kind === 'reminder' && row.status === 'skipped'),
      'the skipped reminder',
    );
    expect((await rowsOf(event.id, 'una@optout.example')).find((row) => row.kind === 'reminder')).toMatchObject({
      attempts: 0,
      last_error: 'suppressed: unsubscribe',
    });

    // And so is a later invitation.
    const later = await publishedEvent('Green IT forum 2', 'GREEN_IT');
    await api.post(`/api/events/${later.id}/invitations`, { clusters: [], memberIds: [una] });
    await waitUntil(async () => (await rowsOf(later.id, 'una@optout.example'))[0]?.status === 'skipped', 'the skipped invitation');
    expect((await rowsOf(later.id, 'una@optout.example'))[0]).toMatchObject({ kind: 'invitation', last_error: 'suppressed: unsubscribe' });
    // A skipped row is final (the worker sends only pending rows): Una has the invitation and the confirmation, nothing more.
    expect(t.mailbox.to('una@optout.example')).toHaveLength(2);
    // A suppressed address is not retried either: skipped rows are not failed rows.
    expect((await api.post(`/api/events/${later.id}/deliveries/retry`, {})).body).toEqual({ requeued: 0 });
  });

  // Last: it replaces the test app's SMTP server by a new one on the same port.
  it('loses and repeats no mail when the SMTP server dies mid-batch and comes back on the same port', async () => {
    const count = 30;
    const emails = Array.from({ length: count }, (_, i) => `p${i}@outage.example`);
    const csv = ['email,name,company,cluster,locale', ...emails.map((email, i) => `${email},멤버${i},회사${i},IMT,ko`)].join('\n');
    expect((await api.post('/api/members/import', csv, { contentType: 'text/csv' })).body).toMatchObject({ created: count });
    const event = await publishedEvent('IMT outage drill', 'IMT');

    const first = t.mailbox;
    const port = first.port;
    // A slow server, so the batch is still going when it dies.
    first.acceptDelayMs = 150;
    const before = first.messages.length;
    expect((await api.post(`/api/events/${event.id}/invitations`, {})).body).toEqual({ queued: count });
    await first.waitFor((messages) => messages.length - before >= 3, 'the first few invitations');
    await first.stop();
    const outageMails = () => first.messages.filter((mail) => mail.envelopeTo[0].endsWith('@outage.example'));
    const deliveredBefore = outageMails().length;
    expect(deliveredBefore).toBeLessThan(count);

    // While it is down, sends fail with temporary errors and are retried with backoff.
    await waitUntil(
      async () => {
        const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE event_id = $1 AND attempts > 1`, [event.id]);
        return rows[0].n > 0;
      },
      'some rows to be retried while SMTP is down',
      30_000,
    );
    const { rows: during } = await t.db.query(`SELECT status, last_error FROM outbox WHERE event_id = $1 AND status <> 'sent'`, [event.id]);
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((row: { status: string }) => row.status === 'pending')).toBe(true);
    expect(during.some((row: { last_error: string | null }) => row.last_error !== null)).toBe(true);

    // Back, on the same port: the app's SMTP_URL reaches it.
    const second = await new Mailbox().start(port);
    extraMailboxes.push(second);
    await waitUntil(
      async () => {
        const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE event_id = $1 AND status = 'sent'`, [event.id]);
        return rows[0].n === count;
      },
      'every row to be sent',
      90_000,
    );

    const all = [...outageMails(), ...second.messages.filter((mail) => mail.envelopeTo[0].endsWith('@outage.example'))];
    expect(second.messages.length).toBeGreaterThan(0);
    expect(all.map((mail) => mail.envelopeTo[0]).sort()).toEqual([...emails].sort());
    const { rows } = await t.db.query(
      `SELECT status, max(attempts) AS max, min(attempts) AS min, count(*)::int AS n FROM outbox WHERE event_id = $1 GROUP BY status`,
      [event.id],
    );
    expect(rows).toEqual([{ status: 'sent', max: expect.any(Number), min: 1, n: count }]);
    expect(rows[0].max).toBeGreaterThan(1);
    expect((await api.get(`/api/events/${event.id}/deliveries?status=sent`)).body.every((d: { lastError: string | null }) => d.lastError === null)).toBe(true);
  });
});

/** A header of the raw message, unfolded; undefined when absent. */
function header(mail: CapturedMail, name: string): string | undefined {
  const head = mail.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
