import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type ICAL from 'ical.js';
import { REMIND_JOB, REMINDER_QUEUE } from '../src/queue/queue.constants';
import { calendarParts, parseIcs } from './support/ics';
import { client } from './support/http';
import { CapturedMail, personalLink, waitUntil, pressLink } from './support/mailbox';
import { queueBackends, startTestApp, TestApp } from './support/test-app';

/**
 * Issue 4, part 1: every change of an event reaches its registrants' calendars. One UID for the
 * life of the event, SEQUENCE growing with each change they must see, METHOD:REQUEST for
 * invitations and updates and METHOD:CANCEL for cancellations (the text/calendar part's method=
 * always the file's METHOD), instants right in the event's zone also across a DST change; and
 * reminders that follow the event when it moves and never go out after it is cancelled.
 */
describe.each(queueBackends())('event lifecycle notices with the %s queue backend', (queue) => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  const members: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ queue });
    api = client(t.url, t.adminToken);
    for (const [key, body] of Object.entries({
      minji: { email: 'minji@hanbit.example', name: '김민지', company: '한빛소프트', clusterCode: 'ICT', locale: 'ko' },
      john: { email: 'john@pixel.example', name: 'John Smith', company: 'Pixel Works', clusterCode: 'ICT', locale: 'en' },
      waiter: { email: 'wait@motion.example', name: '서대기', company: '모션랩', clusterCode: 'ICT', locale: 'ko' },
      anna: { email: 'anna@berlin.example', name: 'Anna Weber', company: 'Spree Digital', clusterCode: 'DC', locale: 'en' },
    })) {
      const created = await api.post('/api/members', body);
      expect(created.status).toBe(201);
      members[key] = created.body.id;
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A registration written straight into the table (the waiting list has its own suite). */
  async function register(eventId: string, email: string, name: string, status: string, memberId: string | null = null): Promise<string> {
    const { rows } = await t.db.query(
      `INSERT INTO registrations (event_id, email, member_id, name, status, source, confirmed_at)
       VALUES ($1, $2, $3, $4, $5::varchar, 'invitation', CASE WHEN $5::varchar = 'confirmed' THEN now() END) RETURNING id`,
      [eventId, email, memberId, name, status],
    );
    return rows[0].id;
  }

  it('keeps one UID through invitation, confirmation, an update and a cancellation, in Seoul', async () => {
    const created = await api.post('/api/events', {
      title: '스마트팩토리 기술교류회',
      type: 'tech_exchange',
      startsAt: '2027-05-12T14:00:00+09:00',
      endsAt: '2027-05-12T16:00:00+09:00',
      venue: '판교 세미나실 B',
      hostClusters: ['ICT'],
      audienceClusters: ['ICT'],
    });
    expect(created.status).toBe(201);
    expect(created.body.reminderOffsetsMinutes).toEqual([1440, 60]);
    const { id: eventId, uid } = created.body;
    expect((await api.post(`/api/events/${eventId}/publish`)).status).toBe(200);
    expect((await api.post(`/api/events/${eventId}/invitations`, {})).body).toEqual({ queued: 3 });
    await t.mailbox.waitFor(
      () => ['minji@hanbit.example', 'john@pixel.example', 'wait@motion.example'].every((to) => t.mailbox.to(to).length === 1),
      '3 invitations',
    );

    // Minji and John accept; the third person is on the waiting list; a public sign-up stays unconfirmed.
    for (const to of ['minji@hanbit.example', 'john@pixel.example']) {
      const pressed = await pressLink(personalLink(t.mailbox.to(to)[0], t.url));
      expect(pressed.status).toBe(200);
    }
    await t.mailbox.waitFor(() => t.mailbox.to('minji@hanbit.example').length === 2 && t.mailbox.to('john@pixel.example').length === 2, 'two confirmations');
    await register(eventId, 'wait@motion.example', '서대기', 'waitlisted', members.waiter);
    expect((await client(t.url).post(`/api/events/${eventId}/registrations`, { email: 'guest@outside.example', name: '박손님' })).status).toBe(202);
    await t.mailbox.waitFor(() => t.mailbox.to('guest@outside.example').length === 1, 'the opt-in to the guest');

    // Two hours later, same day.
    const moved = await api.patch(`/api/events/${eventId}`, { startsAt: '2027-05-12T16:00:00+09:00', endsAt: '2027-05-12T18:00:00+09:00' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ uid, sequence: 1, startsAt: '2027-05-12T07:00:00.000Z' });
    await t.mailbox.waitFor(
      () =>
        t.mailbox.to('minji@hanbit.example').length === 3 &&
        t.mailbox.to('john@pixel.example').length === 3 &&
        t.mailbox.to('wait@motion.example').length === 2,
      'the updated invitations',
    );

    const minjiUpdate = t.mailbox.to('minji@hanbit.example')[2];
    expect(minjiUpdate.parsed.subject).toBe('[일정 변경] 스마트팩토리 기술교류회');
    expect(minjiUpdate.parsed.text).toContain(
      '일시: 2027년 5월 12일 (수) 오후 2:00 – 오후 4:00 (Asia/Seoul) → 2027년 5월 12일 (수) 오후 4:00 – 오후 6:00 (Asia/Seoul)',
    );
    expect(minjiUpdate.parsed.html).toContain('→');
    const johnUpdate = t.mailbox.to('john@pixel.example')[2];
    expect(johnUpdate.parsed.subject).toBe('Changed: 스마트팩토리 기술교류회');
    expect(johnUpdate.parsed.text).toContain('When: Wed, 12 May 2027, 2:00 PM – 4:00 PM (Asia/Seoul) → Wed, 12 May 2027, 4:00 PM – 6:00 PM (Asia/Seoul)');
    expect(johnUpdate.parsed.text).toMatch(new RegExp(`${escapeRegExp(t.url)}/r/[A-Za-z0-9_-]{43}`)); // the manage link
    for (const [mail, partstat] of [
      [minjiUpdate, 'ACCEPTED'],
      [johnUpdate, 'ACCEPTED'],
      [t.mailbox.to('wait@motion.example')[1], 'TENTATIVE'],
    ] as const) {
      const vevent = invite(mail, 'REQUEST');
      expect(vevent.uid).toBe(uid);
      expect(vevent.sequence).toBe(1);
      expect(vevent.startDate.zone.tzid).toBe('Asia/Seoul');
      expect(vevent.startDate.toJSDate().toISOString()).toBe('2027-05-12T07:00:00.000Z');
      expect(vevent.endDate.toJSDate().toISOString()).toBe('2027-05-12T09:00:00.000Z');
      expect(vevent.attendees[0].getParameter('partstat')).toBe(partstat);
    }

    // A change attendees do not see (capacity) sends nothing and keeps SEQUENCE.
    expect((await api.patch(`/api/events/${eventId}`, { capacity: 50 })).body.sequence).toBe(1);

    const cancelled = await api.post(`/api/events/${eventId}/cancel`, { reason: '연사 사정으로 부득이하게 취소합니다.\nSpeaker unavailable.' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', sequence: 2 });
    await t.mailbox.waitFor(
      () =>
        t.mailbox.to('minji@hanbit.example').length === 4 &&
        t.mailbox.to('john@pixel.example').length === 4 &&
        t.mailbox.to('wait@motion.example').length === 3,
      'the cancellations',
    );
    const minjiCancel = t.mailbox.to('minji@hanbit.example')[3];
    expect(minjiCancel.parsed.subject).toBe('[행사 취소] 스마트팩토리 기술교류회');
    expect(minjiCancel.parsed.text).toContain('취소 사유:\n연사 사정으로 부득이하게 취소합니다.\nSpeaker unavailable.');
    expect(t.mailbox.to('john@pixel.example')[3].parsed.text).toContain('Reason from the organizers:\n연사 사정으로 부득이하게 취소합니다.');
    for (const to of ['minji@hanbit.example', 'john@pixel.example', 'wait@motion.example']) {
      const mails = t.mailbox.to(to);
      const vevent = invite(mails[mails.length - 1], 'CANCEL');
      expect(vevent.uid).toBe(uid);
      expect(vevent.component.getFirstPropertyValue('status')).toBe('CANCELLED');
      expect(vevent.startDate.toJSDate().toISOString()).toBe('2027-05-12T07:00:00.000Z');
    }

    // Invitation, confirmation, update, cancellation: one UID, SEQUENCE 0, 0, 1, 2, methods REQUEST ×3 then CANCEL.
    for (const to of ['minji@hanbit.example', 'john@pixel.example']) {
      const seen = t.mailbox.to(to).map((mail) => {
        const parts = calendarParts(mail.parsed);
        const [vevent] = parseIcs(parts.attachment!.text).events;
        return { method: parts.alternative!.method, uid: vevent.uid, sequence: vevent.sequence };
      });
      expect(seen).toEqual([
        { method: 'REQUEST', uid, sequence: 0 },
        { method: 'REQUEST', uid, sequence: 0 },
        { method: 'REQUEST', uid, sequence: 1 },
        { method: 'CANCEL', uid, sequence: 2 },
      ]);
    }
    // A reminder written just before the cancellation but sent after it is dropped, not mailed: it would put the event back.
    const late = await t.db.query(
      `INSERT INTO outbox (kind, dedupe_key, event_id, recipient, locale, payload) VALUES ('reminder', 'late-reminder', $1, 'minji@hanbit.example', 'ko', '{"offsetMinutes": 60}') RETURNING id`,
      [eventId],
    );
    await waitUntil(
      async () => (await t.db.query(`SELECT status FROM outbox WHERE id = $1`, [late.rows[0].id])).rows[0].status === 'skipped',
      'the late reminder to be skipped',
    );
    await t.db.query(`DELETE FROM outbox WHERE id = $1`, [late.rows[0].id]);
    expect(t.mailbox.to('minji@hanbit.example')).toHaveLength(4);

    // The unconfirmed guest got the opt-in and nothing else; every row went out once.
    expect(t.mailbox.to('guest@outside.example')).toHaveLength(1);
    // A row is marked sent in a batch a moment after its mail went out (MAIL_SENT_BATCH_MS): wait for that.
    await waitUntil(async () => (await t.db.query(`SELECT 1 FROM outbox WHERE status = 'pending'`)).rowCount === 0, 'the sent rows to be marked');
    const rows = await t.db.query(`SELECT kind, status, count(*)::int AS n FROM outbox WHERE event_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`, [eventId]);
    expect(rows.rows).toEqual([
      { kind: 'event_cancelled', status: 'sent', n: 3 },
      { kind: 'event_updated', status: 'sent', n: 3 },
      { kind: 'invitation', status: 'sent', n: 3 },
      { kind: 'registration_confirmed', status: 'sent', n: 2 },
      { kind: 'registration_opt_in', status: 'sent', n: 1 },
    ]);
  });

  it('keeps the instant right when an event in Berlin moves across the change to summer time', async () => {
    // Europe/Berlin goes to CEST on 2027-03-28: 10:00 local is 09:00Z before and 08:00Z after.
    const created = await api.post('/api/events', {
      title: 'Green IT partner meeting',
      type: 'sig_meeting',
      startsAt: '2027-03-26T10:00:00+01:00',
      endsAt: '2027-03-26T11:30:00+01:00',
      timezone: 'Europe/Berlin',
      onlineUrl: 'https://meet.example.com/green-it',
      hostClusters: ['DC'],
    });
    const { id: eventId, uid } = created.body;
    await api.post(`/api/events/${eventId}/publish`);
    await register(eventId, 'anna@berlin.example', 'Anna Weber', 'confirmed', members.anna);

    const moved = await api.patch(`/api/events/${eventId}`, { startsAt: '2027-03-29T10:00:00+02:00', endsAt: '2027-03-29T11:30:00+02:00' });
    expect(moved.body).toMatchObject({ sequence: 1, startsAt: '2027-03-29T08:00:00.000Z' });
    await t.mailbox.waitFor(() => t.mailbox.to('anna@berlin.example').length === 1, 'the update to Anna');
    const update = t.mailbox.to('anna@berlin.example')[0];
    expect(update.parsed.text).toContain(
      'When: Fri, 26 March 2027, 10:00 AM – 11:30 AM (Europe/Berlin) → Mon, 29 March 2027, 10:00 AM – 11:30 AM (Europe/Berlin)',
    );
    const parts = calendarParts(update.parsed);
    expect(parts.attachment!.text.replace(/\r\n/g, '\n')).toContain('DTSTART;TZID=Europe/Berlin:20270329T100000');
    const parsed = parseIcs(parts.attachment!.text);
    expect(parsed.timezones).toEqual(['Europe/Berlin']);
    const vevent = invite(update, 'REQUEST');
    expect(vevent.uid).toBe(uid);
    expect(vevent.sequence).toBe(1);
    expect(vevent.startDate.zone.tzid).toBe('Europe/Berlin');
    expect(vevent.startDate.toJSDate().toISOString()).toBe('2027-03-29T08:00:00.000Z');
    expect(vevent.endDate.toJSDate().toISOString()).toBe('2027-03-29T09:30:00.000Z');

    // And back into winter time: the instant is again 09:00Z for 10:00 local.
    await api.patch(`/api/events/${eventId}`, { startsAt: '2027-03-26T10:00:00+01:00', endsAt: '2027-03-26T11:30:00+01:00' });
    await t.mailbox.waitFor(() => t.mailbox.to('anna@berlin.example').length === 2, 'the second update to Anna');
    const back = invite(t.mailbox.to('anna@berlin.example')[1], 'REQUEST');
    expect(back.sequence).toBe(2);
    expect(back.startDate.toJSDate().toISOString()).toBe('2027-03-26T09:00:00.000Z');
    expect(t.mailbox.to('anna@berlin.example')[1].parsed.text).toContain(
      'Mon, 29 March 2027, 10:00 AM – 11:30 AM (Europe/Berlin) → Fri, 26 March 2027, 10:00 AM – 11:30 AM (Europe/Berlin)',
    );
  });

  it('writes the waiting-list, promotion and registration-cancelled mails with the right calendar message', async () => {
    const created = await api.post('/api/events', {
      title: 'AI 반도체 세미나',
      type: 'seminar',
      startsAt: '2027-06-02T10:00:00+09:00',
      endsAt: '2027-06-02T12:00:00+09:00',
      venue: '판교 세미나실 C',
      hostClusters: ['ICT'],
    });
    const { id: eventId, uid } = created.body;
    await api.post(`/api/events/${eventId}/publish`);
    await api.patch(`/api/events/${eventId}`, { venue: '판교 세미나실 D' }); // SEQUENCE 1, no registrants yet
    const waitId = await register(eventId, 'wait@motion.example', '서대기', 'waitlisted', members.waiter);
    const johnId = await register(eventId, 'john@pixel.example', 'John Smith', 'confirmed', members.john);
    const queueRow = (kind: string, registrationId: string, recipient: string, name: string, locale: string, payload: object) =>
      t.db.query(`INSERT INTO outbox (kind, dedupe_key, event_id, registration_id, recipient, locale, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        kind,
        `${kind}:${registrationId}:test`,
        eventId,
        registrationId,
        recipient,
        locale,
        JSON.stringify({ ...payload, recipientName: name }),
      ]);
    const before = { wait: t.mailbox.to('wait@motion.example').length, john: t.mailbox.to('john@pixel.example').length };
    await queueRow('registration_waitlisted', waitId, 'wait@motion.example', '서대기', 'ko', { position: 3, registrationStatus: 'waitlisted' });
    await t.mailbox.waitFor(() => t.mailbox.to('wait@motion.example').length === before.wait + 1, 'the waiting-list mail');
    const waitlisted = t.mailbox.to('wait@motion.example')[before.wait];
    expect(waitlisted.parsed.subject).toBe('[대기 등록] AI 반도체 세미나');
    expect(waitlisted.parsed.text).toContain('현재 대기 순번은 3번입니다.');
    expect(waitlisted.parsed.text).toMatch(new RegExp(`${escapeRegExp(t.url)}/r/[A-Za-z0-9_-]{43}`));
    const tentative = invite(waitlisted, 'REQUEST');
    expect(tentative.attendees[0].getParameter('partstat')).toBe('TENTATIVE');
    expect([tentative.uid, tentative.sequence]).toEqual([uid, 1]);
    const manageToken = /\/r\/([A-Za-z0-9_-]{43})/.exec(waitlisted.parsed.text!)![1];
    const stored = await t.db.query(`SELECT purpose, registration_id FROM link_tokens WHERE token_hash = encode(sha256($1::bytea), 'hex')`, [manageToken]);
    expect(stored.rows).toEqual([{ purpose: 'manage_registration', registration_id: waitId }]);

    await queueRow('waitlist_promoted', waitId, 'wait@motion.example', '서대기', 'ko', { registrationStatus: 'confirmed' });
    await t.mailbox.waitFor(() => t.mailbox.to('wait@motion.example').length === before.wait + 2, 'the promotion mail');
    const promoted = t.mailbox.to('wait@motion.example')[before.wait + 1];
    expect(promoted.parsed.subject).toBe('[참석 확정] AI 반도체 세미나');
    expect(invite(promoted, 'REQUEST').attendees[0].getParameter('partstat')).toBe('ACCEPTED');

    await queueRow('registration_cancelled', johnId, 'john@pixel.example', 'John Smith', 'en', { cancelledBy: 'organizer' });
    await t.mailbox.waitFor(() => t.mailbox.to('john@pixel.example').length === before.john + 1, 'the registration-cancelled mail');
    const cancelledMail = t.mailbox.to('john@pixel.example')[before.john];
    expect(cancelledMail.parsed.subject).toBe('Registration cancelled: AI 반도체 세미나');
    expect(cancelledMail.parsed.text).toContain('The organizers have cancelled your registration');
    const cancel = invite(cancelledMail, 'CANCEL');
    expect([cancel.uid, cancel.sequence, cancel.component.getFirstPropertyValue('status')]).toEqual([uid, 1, 'CANCELLED']);

    // A reminder row for someone whose registration was cancelled after the row was written is skipped.
    await t.db.query(`UPDATE registrations SET status = 'cancelled' WHERE id = $1`, [johnId]);
    await queueRow('reminder', johnId, 'john@pixel.example', 'John Smith', 'en', { offsetMinutes: 60 });
    const reminderStatus = async () => (await t.db.query(`SELECT status, last_error FROM outbox WHERE dedupe_key = $1`, [`reminder:${johnId}:test`])).rows[0];
    await waitUntil(async () => (await reminderStatus())?.status !== 'pending', 'the stale reminder to be handled', 30_000);
    expect(await reminderStatus()).toEqual({ status: 'skipped', last_error: expect.stringContaining('no longer confirmed') });
    expect(t.mailbox.to('john@pixel.example')).toHaveLength(before.john + 1);
  });

  it('sends reminders at the moved time only, to confirmed registrants only, and none after a cancellation', async () => {
    const reminders = t.app.get<Queue>(getQueueToken(REMINDER_QUEUE));
    // Whole seconds, so every instant below is exact.
    const now = Math.ceil(t.clock.nowMs() / 1000) * 1000;
    const iso = (ms: number) => new Date(ms).toISOString();

    // Every reminder below is due at least ten minutes of real time ahead: the test moves the app's clock and
    // promotes the job, so nothing it checks depends on how fast this machine runs the steps in between.
    const margin = 10 * 60_000;
    // Event A starts with reminders 40 and 20 minutes ahead: the 40-minute one is due after the margin.
    const startA = now + 40 * 60_000 + margin;
    const a = (
      await api.post('/api/events', {
        title: 'Reminder drill A',
        type: 'committee',
        startsAt: iso(startA),
        endsAt: iso(startA + 3600_000),
        hostClusters: ['ICT'],
        reminderOffsetsMinutes: [20, 40],
      })
    ).body;
    expect(a.reminderOffsetsMinutes).toEqual([40, 20]);
    const ids = {
      minji: await register(a.id, 'minji@hanbit.example', '김민지', 'confirmed', members.minji),
      john: await register(a.id, 'john@pixel.example', 'John Smith', 'confirmed', members.john),
    };
    await register(a.id, 'wait@motion.example', '서대기', 'waitlisted', members.waiter);
    await register(a.id, 'gone@outside.example', '취소함', 'cancelled');
    await api.post(`/api/events/${a.id}/publish`);
    const jobA = (offset: number, start: number) => `reminder-${a.id}-${offset}-${start}`;
    expect(await reminders.getJob(jobA(40, startA)).then((job) => job?.getState())).toBe('delayed');
    expect(await reminders.getJob(jobA(20, startA)).then((job) => job?.getState())).toBe('delayed');

    // Moved twenty minutes earlier: the 20-minute reminder is now the one due after the margin; the 40-minute one has passed.
    const newStartA = startA - 20 * 60_000;
    expect((await api.patch(`/api/events/${a.id}`, { startsAt: iso(newStartA), endsAt: iso(newStartA + 3600_000) })).status).toBe(200);
    expect(await reminders.getJob(jobA(40, startA))).toBeUndefined();
    expect(await reminders.getJob(jobA(20, startA))).toBeUndefined();
    expect(await reminders.getJob(jobA(40, newStartA))).toBeUndefined(); // past: never planned
    expect(await reminders.getJob(jobA(20, newStartA)).then((job) => job?.getState())).toBe('delayed');

    // Event B starts with a reminder 20 minutes ahead, due just after A's, and is cancelled at once.
    const startB = now + 20 * 60_000 + margin + 3000;
    const b = (
      await api.post('/api/events', {
        title: 'Reminder drill B',
        type: 'committee',
        startsAt: iso(startB),
        endsAt: iso(startB + 3600_000),
        hostClusters: ['ICT'],
        reminderOffsetsMinutes: [20],
      })
    ).body;
    await register(b.id, 'anna@berlin.example', 'Anna Weber', 'confirmed', members.anna);
    await api.post(`/api/events/${b.id}/publish`);
    expect(await reminders.getJob(`reminder-${b.id}-20-${startB}`).then((job) => job?.getState())).toBe('delayed');
    expect((await api.post(`/api/events/${b.id}/cancel`, { reason: 'Room unavailable' })).status).toBe(200);
    expect(await reminders.getJob(`reminder-${b.id}-20-${startB}`)).toBeUndefined();

    // A stale job for A's old start (as a lost removal would leave) finds the event moved and writes nothing.
    await reminders.add(REMIND_JOB, { eventId: a.id, offsetMinutes: 20, startsAtEpoch: startA }, { jobId: 'stale-reminder', removeOnComplete: false });
    await waitUntil(async () => (await reminders.getJob('stale-reminder').then((job) => job?.getState())) === 'completed', 'the stale job to run', 20_000);
    expect((await reminders.getJob('stale-reminder'))!.returnvalue).toBe('skipped: event moved');

    const reminderMails = () => t.mailbox.messages.filter((mail) => /^(Reminder:|\[리마인더\])/.test(mail.parsed.subject ?? ''));
    // No waiting for A's reminder: the app's clock moves to its time and its job runs now.
    t.clock.advance(Math.max(0, newStartA - 20 * 60_000 - t.clock.nowMs()));
    await (await reminders.getJob(jobA(20, newStartA)))!.promote();
    await t.mailbox.waitFor(() => reminderMails().length >= 2, 'the reminders of event A', 40_000);
    expect(t.clock.nowMs()).toBeGreaterThanOrEqual(newStartA - 20 * 60_000);
    // Past B's reminder time: nothing else is planned for A or B, so nothing else can arrive.
    t.clock.advance(Math.max(0, startB - 20 * 60_000 + 5000 - t.clock.nowMs()));
    const left = await reminders.getJobs(['delayed', 'waiting', 'active', 'prioritized']);
    expect(left.filter((job) => [a.id, b.id].includes((job.data as { eventId: string }).eventId))).toEqual([]);

    const mails = reminderMails();
    expect(mails.map((mail) => mail.envelopeTo[0]).sort()).toEqual(['john@pixel.example', 'minji@hanbit.example']);
    const john = mails.find((mail) => mail.envelopeTo[0] === 'john@pixel.example')!;
    expect(john.parsed.subject).toBe('Reminder: Reminder drill A starts in 20 minutes');
    const minji = mails.find((mail) => mail.envelopeTo[0] === 'minji@hanbit.example')!;
    expect(minji.parsed.subject).toBe('[리마인더] Reminder drill A · 20분 후 시작');
    for (const mail of [john, minji]) {
      const vevent = invite(mail, 'REQUEST');
      expect(vevent.uid).toBe(a.uid);
      expect(vevent.sequence).toBe(1);
      expect(vevent.startDate.toJSDate().toISOString()).toBe(iso(newStartA));
      expect(vevent.attendees[0].getParameter('partstat')).toBe('ACCEPTED');
    }
    // A row is marked sent in a batch a moment after its mail went out (MAIL_SENT_BATCH_MS): wait for that.
    await waitUntil(async () => (await t.db.query(`SELECT 1 FROM outbox WHERE status = 'pending'`)).rowCount === 0, 'the sent rows to be marked');
    const rows = await t.db.query(`SELECT event_id, dedupe_key, status FROM outbox WHERE kind = 'reminder' AND event_id = ANY($1) ORDER BY dedupe_key`, [
      [a.id, b.id],
    ]);
    expect(rows.rows).toEqual(
      [ids.minji, ids.john]
        .map((id) => ({ event_id: a.id, dedupe_key: `reminder:${id}:20:${newStartA}`, status: 'sent' }))
        .sort((x, y) => x.dedupe_key.localeCompare(y.dedupe_key)),
    );
    // B's registrant got the cancellation and no reminder.
    expect(t.mailbox.to('anna@berlin.example').map((mail) => mail.parsed.subject)).toContain('Cancelled: Reminder drill B');
    expect(t.mailbox.to('anna@berlin.example').some((mail) => mail.parsed.subject?.includes('drill B') && mail.parsed.subject.startsWith('Reminder'))).toBe(
      false,
    );
  });

  it('refuses bad reminder offsets with a clear 400', async () => {
    const base = { title: 'x', type: 'seminar', startsAt: '2027-07-01T10:00:00+09:00', endsAt: '2027-07-01T11:00:00+09:00', hostClusters: ['ICT'] };
    for (const [value, message] of [
      [[0], 'each value in reminderOffsetsMinutes must be at least 1 minute'],
      [[60, 60], 'reminderOffsetsMinutes must not repeat a value'],
      [[1.5], 'each value in reminderOffsetsMinutes must be a whole number of minutes'],
      ['60', 'reminderOffsetsMinutes must be an array of whole minutes'],
    ] as const) {
      const answer = await api.post('/api/events', { ...base, reminderOffsetsMinutes: value });
      expect(answer.status).toBe(400);
      expect(answer.body.message).toContain(message);
    }
    const off = await api.post('/api/events', { ...base, reminderOffsetsMinutes: [] });
    expect(off.body.reminderOffsetsMinutes).toEqual([]);
    expect((await api.patch(`/api/events/${off.body.id}`, { reminderOffsetsMinutes: null })).status).toBe(400);
    expect((await api.patch(`/api/events/${off.body.id}`, { reminderOffsetsMinutes: [30, 1440] })).body.reminderOffsetsMinutes).toEqual([1440, 30]);
  });
});

/** The calendar message of a mail: the alternative's method= and both copies' METHOD must be `method`; returns the one VEVENT. */
function invite(mail: CapturedMail, method: 'REQUEST' | 'CANCEL'): ICAL.Event {
  const parts = calendarParts(mail.parsed);
  expect(parts.alternative?.method).toBe(method);
  expect(parts.attachment?.text).toBeDefined();
  const alternative = parseIcs(parts.alternative!.text);
  const attachment = parseIcs(parts.attachment!.text);
  expect([alternative.method, attachment.method]).toEqual([method, method]);
  expect(attachment.events).toHaveLength(1);
  expect(alternative.events[0].uid).toBe(attachment.events[0].uid);
  return attachment.events[0];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
