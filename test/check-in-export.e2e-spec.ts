import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { client } from './support/http';
import { calendarParts } from './support/ics';
import { personalLink, pressLink, waitUntil } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Issue 3, check-in and export: the confirmation mail carries a door code and its QR code; an
 * organizer checks people in once (also when two door devices scan at the same moment); the
 * attendance CSV opens in Excel with Korean names intact and no formula run.
 */
describe('check-in at the door and the attendance export', () => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let eventId: string;
  let otherEventId: string;
  const codes: Record<string, string> = {};
  const people = [
    { email: 'minji.kim@hanbit.example', name: '김민지', company: '한빛소프트', clusterCode: 'ICT', locale: 'ko' },
    { email: 'john@pixel.example', name: 'John Smith', company: 'Pixel, Works', clusterCode: 'ICT', locale: 'en' },
    { email: 'formula@evil.example', name: '=1+2 Trick', company: '@Evil Corp', clusterCode: 'ICT', locale: 'ko' },
    { email: 'gone@away.example', name: '최취소', company: '떠난회사', clusterCode: 'ICT', locale: 'ko' },
  ];

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres' });
    api = client(t.url, t.adminToken);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('mails every confirmed registrant a check-in code, as text and as a QR code that decodes to it', async () => {
    for (const person of people) expect((await api.post('/api/members', person)).status).toBe(201);
    const event = {
      title: '그린 IT 기술교류회',
      type: 'tech_exchange',
      startsAt: '2027-03-10T14:00:00+09:00',
      endsAt: '2027-03-10T16:00:00+09:00',
      venue: '판교 세미나실 B',
      hostClusters: ['ICT'],
      audienceClusters: ['ICT'],
    };
    eventId = (await api.post('/api/events', event)).body.id;
    otherEventId = (await api.post('/api/events', { ...event, title: '다른 행사' })).body.id;
    expect((await api.post(`/api/events/${eventId}/publish`)).status).toBe(200);
    expect((await api.post(`/api/events/${otherEventId}/publish`)).status).toBe(200);
    expect((await api.post(`/api/events/${eventId}/invitations`, {})).body).toEqual({ queued: people.length });
    await t.mailbox.waitFor(() => people.every((p) => t.mailbox.to(p.email).length === 1), 'the invitations');

    for (const person of people) {
      const accepted = await pressLink(personalLink(t.mailbox.to(person.email)[0], t.url));
      expect(accepted.status).toBe(200);
    }
    await t.mailbox.waitFor(() => people.every((p) => t.mailbox.to(p.email).length === 2), 'the confirmations');

    for (const person of people) {
      const confirmation = t.mailbox.to(person.email)[1];
      const label = person.locale === 'ko' ? '입장 확인 코드' : 'Your check-in code';
      const match = new RegExp(`${label}: ([0-9A-Z]{4}-[0-9A-Z]{4})`).exec(confirmation.parsed.text ?? '');
      expect(match).not.toBeNull();
      const code = match![1];
      expect(code.replace('-', '')).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
      codes[person.email] = code;

      // The QR image is inline (cid) in the HTML and decodes to the very code in the text.
      const qr = confirmation.parsed.attachments.find((a) => a.contentType === 'image/png');
      expect(qr).toBeDefined();
      expect(qr!.contentDisposition).toBe('inline');
      // mailparser swaps each cid: link for the part it names, so this proves <img src="cid:…"> points at the QR part.
      expect(qr!.cid).toBe('check-in-qr@seminarhub');
      expect(confirmation.parsed.html).toContain(`src="data:image/png;base64,${qr!.content.toString('base64')}"`);
      expect(confirmation.parsed.html).toContain(code);
      const png = PNG.sync.read(qr!.content);
      expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(code);
      // The calendar invitation is still there beside it.
      expect(calendarParts(confirmation.parsed).attachment).toBeDefined();
    }
    expect(new Set(Object.values(codes)).size).toBe(people.length);
    // The invitation itself carries no code: only a confirmed seat does.
    expect(t.mailbox.to(people[0].email)[0].parsed.text).not.toContain('입장 확인 코드');
  });

  it('checks a person in the first time and names them; every repeat is a 409 with the first time', async () => {
    const first = await api.post(`/api/events/${eventId}/check-ins`, { code: codes['minji.kim@hanbit.example'] });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      status: 'checked_in',
      registration: { id: expect.any(String), name: '김민지', email: 'minji.kim@hanbit.example', company: '한빛소프트', cluster: 'ICT' },
      checkedInAt: expect.stringMatching(/Z$/),
    });

    // Typed sloppily at the door: lower case, no hyphen, spaces.
    const typed = ` ${codes['minji.kim@hanbit.example'].replace('-', '').toLowerCase()} `;
    const again = await api.post(`/api/events/${eventId}/check-ins`, { code: typed });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      statusCode: 409,
      error: 'Conflict',
      message: [`already checked in at ${first.body.checkedInAt}`],
      status: 'already_checked_in',
      checkedInAt: first.body.checkedInAt,
      registration: { name: '김민지', company: '한빛소프트' },
    });
  });

  it('checks a person in exactly once when several door devices scan the same code at once', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => api.post(`/api/events/${eventId}/check-ins`, { code: codes['john@pixel.example'] })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, ...Array(11).fill(409)]);
    const winner = answers.find((a) => a.status === 200)!;
    for (const loser of answers.filter((a) => a.status === 409)) {
      expect(loser.body.checkedInAt).toBe(winner.body.checkedInAt);
    }
    const rows = await t.db.query(`SELECT count(*)::int AS n FROM registrations WHERE event_id = $1 AND checked_in_at IS NOT NULL`, [eventId]);
    expect(rows.rows[0].n).toBe(2);
  });

  it('refuses codes of other events, unknown codes and registrations that are not confirmed', async () => {
    const otherEvent = await api.post(`/api/events/${otherEventId}/check-ins`, { code: codes['formula@evil.example'] });
    expect(otherEvent.status).toBe(404);
    expect(otherEvent.body.message).toEqual(['check-in code not found']);
    const unknown = await api.post(`/api/events/${eventId}/check-ins`, { code: 'ZZZZ-ZZZZ' });
    expect(unknown.status).toBe(404);
    const unknownEvent = await api.post(`/api/events/00000000-0000-4000-8000-000000000000/check-ins`, { code: codes['formula@evil.example'] });
    expect(unknownEvent.status).toBe(404);
    expect(unknownEvent.body.message).toEqual(['event not found']);

    // No cancel endpoint yet (issue 3, lifecycle work): set the state the way it will.
    await t.db.query(`UPDATE registrations SET status = 'cancelled', cancelled_at = now() WHERE event_id = $1 AND email = 'gone@away.example'`, [eventId]);
    const cancelled = await api.post(`/api/events/${eventId}/check-ins`, { code: codes['gone@away.example'] });
    expect(cancelled.status).toBe(409);
    expect(cancelled.body).toMatchObject({
      message: ['registration is cancelled, not confirmed: it cannot be checked in'],
      status: 'not_confirmed',
      registrationStatus: 'cancelled',
      registration: { name: '최취소' },
    });
    const rows = await t.db.query(`SELECT checked_in_at FROM registrations WHERE email = 'gone@away.example'`);
    expect(rows.rows[0].checked_in_at).toBeNull();
  });

  it('answers bad input with a 400 naming the field and no token with a 401', async () => {
    const missing = await api.post(`/api/events/${eventId}/check-ins`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.message.join(' ')).toMatch(/\bcode\b/);
    const notString = await api.post(`/api/events/${eventId}/check-ins`, { code: 12345678 });
    expect(notString.status).toBe(400);
    expect(notString.body.message).toContain('code must be a string');
    const malformed = await api.post(`/api/events/${eventId}/check-ins`, { code: 'https://example.com/not-a-code' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.message[0]).toMatch(/^code must be the 8-character check-in code/);
    const extra = await api.post(`/api/events/${eventId}/check-ins`, { code: codes['formula@evil.example'], force: true });
    expect(extra.status).toBe(400);
    const badId = await api.post(`/api/events/not-a-uuid/check-ins`, { code: codes['formula@evil.example'] });
    expect([badId.status, badId.body.message]).toEqual([400, ['id must be a UUID']]);

    const anonymous = client(t.url);
    expect((await anonymous.post(`/api/events/${eventId}/check-ins`, { code: codes['formula@evil.example'] })).status).toBe(401);
    expect((await anonymous.get(`/api/events/${eventId}/registrations.csv`)).status).toBe(401);
    expect((await client(t.url, 'not-the-token-at-all').post(`/api/events/${eventId}/check-ins`, { code: 'ZZZZZZZZ' })).status).toBe(401);
    // None of that checked anyone in.
    const rows = await t.db.query(`SELECT count(*)::int AS n FROM registrations WHERE checked_in_at IS NOT NULL`);
    expect(rows.rows[0].n).toBe(2);
  });

  it('exports the registrations as CSV that Excel opens correctly, formulas neutralised', async () => {
    const response = await fetch(`${t.url}/api/events/${eventId}/registrations.csv`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="registrations-[0-9a-f-]+\.csv"$/);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // 김민지 as UTF-8, byte for byte.
    expect(bytes.includes(Buffer.from([0xea, 0xb9, 0x80, 0xeb, 0xaf, 0xbc, 0xec, 0xa7, 0x80, 0x2c]))).toBe(true);

    const text = bytes.subarray(3).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = text.split('\r\n').slice(0, -1);
    expect(lines[0]).toBe('name,email,company,cluster,status,registered_at,confirmed_at,checked_in_at');
    expect(lines).toHaveLength(1 + people.length);

    const time = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+09:00';
    const row = (email: string) => lines.find((line) => line.includes(`,${email},`))!;
    expect(row('minji.kim@hanbit.example')).toMatch(new RegExp(`^김민지,minji\\.kim@hanbit\\.example,한빛소프트,ICT,confirmed,${time},${time},${time}$`));
    expect(row('john@pixel.example')).toMatch(new RegExp(`^John Smith,john@pixel\\.example,"Pixel, Works",ICT,confirmed,${time},${time},${time}$`));
    expect(row('formula@evil.example')).toMatch(new RegExp(`^'=1\\+2 Trick,formula@evil\\.example,'@Evil Corp,ICT,confirmed,${time},${time},$`));
    expect(row('gone@away.example')).toMatch(new RegExp(`^최취소,gone@away\\.example,떠난회사,ICT,cancelled,${time},${time},$`));

    // The check-in time in the CSV is the one the API gave, shown in the event's zone.
    const [{ checked_in_at }] = (await t.db.query(`SELECT checked_in_at FROM registrations WHERE email = 'minji.kim@hanbit.example'`)).rows;
    const csvTime = row('minji.kim@hanbit.example').split(',')[7];
    expect(new Date(csvTime).getTime()).toBe(Math.floor(checked_in_at.getTime() / 1000) * 1000);

    const unknown = await api.get(`/api/events/00000000-0000-4000-8000-000000000000/registrations.csv`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/json');
  });

  it('keeps the door page behind a console or door-staff session (test/console-door.e2e-spec.ts signs in to it)', async () => {
    const page = await fetch(`${t.url}/console/events/${eventId}/door`, { redirect: 'manual' });
    expect([page.status, page.headers.get('location')]).toEqual([303, '/console/sign-in']);
    expect(page.headers.get('cache-control')).toBe('no-store');
    // The organizer token no longer opens it: tokens are for scripts, the page is for people.
    const withToken = await fetch(`${t.url}/console/events/${eventId}/door`, { redirect: 'manual', headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(withToken.status).toBe(303);

    // A row is marked sent in a batch a moment after its mail went out (MAIL_SENT_BATCH_MS): wait for that.
    await waitUntil(async () => (await t.db.query(`SELECT 1 FROM outbox WHERE status = 'pending'`)).rowCount === 0, 'the sent rows to be marked');
    const sent = await t.db.query(`SELECT status, count(*)::int AS n FROM outbox GROUP BY status`);
    expect(sent.rows).toEqual([{ status: 'sent', n: people.length * 2 }]);
  });
});
