import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type CapturedMail, personalLink, pressLink } from './support/mailbox';
import { client } from './support/http';
import { calendarParts, parseIcs } from './support/ics';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Issue 4, series: the joint operating committee meets monthly on the second Tuesday at 16:00 KST.
 * The rule materialises as ordinary events; one occurrence is moved, another cancelled, each on
 * its own, and the series feed says so with overrides (RECURRENCE-ID) that an independent parser
 * (ical.js) applies to the expansion of the master's RRULE.
 */
describe('event series', () => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let anonymous: ReturnType<typeof client>;
  let seriesId: string;
  let seriesUid: string;
  let occurrences: { id: string; uid: string; startsAt: string; recurrenceId: string; status: string }[];

  const committee = {
    title: '합동운영위원회 (Joint Operating Committee)',
    type: 'committee',
    description: '4개 미니클러스터 합동운영위원회 정기회의',
    startsAt: '2027-01-12T16:00:00+09:00',
    endsAt: '2027-01-12T18:00:00+09:00',
    venue: '판교 글로벌R&D센터 회의실 3',
    capacity: 30,
    hostClusters: ['ICT', 'IMT', 'DC', 'GREEN_IT'],
    rrule: 'FREQ=MONTHLY;BYDAY=2TU;COUNT=12',
  };
  // The second Tuesday of each month of 2027, 16:00 KST = 07:00Z.
  const secondTuesdays = ['01-12', '02-09', '03-09', '04-13', '05-11', '06-08', '07-13', '08-10', '09-14', '10-12', '11-09', '12-14'].map(
    (day) => `2027-${day}T07:00:00.000Z`,
  );

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres' });
    api = client(t.url, t.adminToken);
    anonymous = client(t.url);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function rows(table: 'events' | 'event_series'): Promise<number> {
    return (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
  }

  it('refuses a bad rule with a 400 naming rrule, and writes nothing', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ rrule: 'FREQ=FORTNIGHTLY;COUNT=3' }, 'rrule', /^rrule FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY$/],
      [{ rrule: 'FREQ=MONTHLY;BYDAY=2TU;COLOR=RED;COUNT=3' }, 'rrule', /^rrule has an unknown part COLOR$/],
      [{ rrule: 'FREQ=MONTHLY;BYDAY=2TU' }, 'rrule', /^rrule needs COUNT or UNTIL/],
      [{ rrule: 'FREQ=MONTHLY;BYDAY=2TU;COUNT=61' }, 'rrule', /^rrule COUNT=61: must be at most 60$/],
      [{ rrule: 'FREQ=WEEKLY;UNTIL=20281231' }, 'rrule', /^rrule gives more than 60 occurrences/],
      [{ rrule: 'FREQ=MONTHLY;BYDAY=2WE;COUNT=12' }, 'startsAt', /^startsAt .* must be the first occurrence of rrule, which gives 2027-01-13T16:00 first$/],
    ];
    for (const [change, field, message] of cases) {
      const answer = await api.post('/api/series', { ...committee, ...change });
      expect([answer.status, answer.body.error]).toEqual([400, 'Bad Request']);
      expect(answer.body.message).toEqual([expect.stringMatching(message)]);
      expect(answer.body.message[0].startsWith(`${field} `)).toBe(true);
    }
    const { rrule: _rrule, ...withoutRule } = committee;
    expect((await api.post('/api/series', withoutRule)).body.message).toEqual(['rrule must be a string']);
    const window = await api.post('/api/series', { ...committee, registrationOpensAt: '2027-01-01T09:00:00+09:00' });
    expect(window.status).toBe(400);
    expect(window.body.message).toEqual(['property registrationOpensAt should not exist']);
    expect((await api.post('/api/series', { ...committee, endsAt: '2027-01-12T15:00:00+09:00' })).body.message).toEqual(['endsAt must be after startsAt']);
    expect((await anonymous.post('/api/series', committee)).status).toBe(401);
    expect([await rows('event_series'), await rows('events')]).toEqual([0, 0]);
  });

  // Each blocked the event loop for seconds (the daily one: minutes) when rrule.js ran it to the year 9999.
  it.each(['FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31;COUNT=1', 'FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2;COUNT=1', 'FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31;COUNT=1'])(
    'answers %s, which never occurs, with a quick 400 while /health keeps answering',
    async (rrule) => {
      const timed = async <T>(call: () => Promise<T>) => {
        const started = performance.now();
        const answer = await call();
        return { answer, ms: performance.now() - started };
      };
      // The app runs in this process: its longest event-loop stall is measured here, apart from how late a
      // loaded machine schedules the process (the bound on the answers below is for that).
      const stalls = monitorEventLoopDelay({ resolution: 10 });
      stalls.enable();
      const series = timed(() => api.post('/api/series', { ...committee, rrule }));
      // Sent while the rule is being expanded: answered only once the event loop is free again.
      const health = timed(() => anonymous.get('/health'));
      const [created, alive] = await Promise.all([series, health]);
      stalls.disable();
      expect([created.answer.status, created.answer.body]).toEqual([
        400,
        { statusCode: 400, error: 'Bad Request', message: ['rrule gives no occurrence within 10 years from startsAt'] },
      ]);
      expect([alive.answer.status, alive.answer.body.status]).toEqual([200, 'ok']);
      expect(stalls.max / 1e6).toBeLessThan(1000);
      expect(created.ms).toBeLessThan(3000);
      expect(alive.ms).toBeLessThan(3000);
      expect([await rows('event_series'), await rows('events')]).toEqual([0, 0]);
    },
  );

  it('creates the series as twelve linked draft occurrences at 16:00 KST on the second Tuesdays', async () => {
    const created = await api.post('/api/series', committee);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      rrule: 'FREQ=MONTHLY;BYDAY=2TU;COUNT=12',
      timezone: 'Asia/Seoul',
      startsAt: '2027-01-12T07:00:00.000Z',
      endsAt: '2027-01-12T09:00:00.000Z',
      calendarUrl: `/api/series/${created.body.id}/calendar.ics`,
    });
    seriesId = created.body.id;
    seriesUid = created.body.uid;
    occurrences = created.body.occurrences;
    expect(occurrences.map((event) => event.startsAt)).toEqual(secondTuesdays);
    expect(occurrences.map((event) => event.recurrenceId)).toEqual(secondTuesdays);
    for (const event of occurrences) {
      expect(event).toMatchObject({ status: 'draft', seriesId, title: committee.title, type: 'committee', capacity: 30, seatsLeft: 30, sequence: 0 });
      expect(new Date((event as unknown as { endsAt: string }).endsAt).getTime() - new Date(event.startsAt).getTime()).toBe(2 * 3600_000);
    }
    const uids = new Set([seriesUid, ...occurrences.map((event) => event.uid)]);
    expect(uids.size).toBe(13);
    expect([await rows('event_series'), await rows('events')]).toEqual([1, 12]);

    // Drafts are the organizers' own: no series page nor feed for anyone else yet.
    expect((await anonymous.get(`/api/series/${seriesId}`)).status).toBe(404);
    expect((await anonymous.get(`/api/series/${seriesId}/calendar.ics`)).status).toBe(404);
    expect((await api.get(`/api/series/${seriesId}`)).body.occurrences).toHaveLength(12);
    expect((await api.get('/api/series/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await api.get('/api/series/not-a-uuid')).body.message).toEqual(['id must be a UUID']);
  });

  it('publishes every occurrence at once, and again changes nothing', async () => {
    expect((await anonymous.post(`/api/series/${seriesId}/publish`)).status).toBe(401);
    const published = await api.post(`/api/series/${seriesId}/publish`);
    expect(published.status).toBe(200);
    expect(published.body.occurrences.map((event: { status: string }) => event.status)).toEqual(Array(12).fill('published'));
    const again = await api.post(`/api/series/${seriesId}/publish`);
    expect(again.body.occurrences.map((event: { publishedAt: string }) => event.publishedAt)).toEqual(
      published.body.occurrences.map((event: { publishedAt: string }) => event.publishedAt),
    );
    expect((await api.post('/api/series/00000000-0000-4000-8000-000000000000/publish')).status).toBe(404);
  });

  it('moves one occurrence by two hours and cancels another, each alone', async () => {
    const march = occurrences[2];
    const moved = await api.patch(`/api/events/${march.id}`, { startsAt: '2027-03-09T18:00:00+09:00', endsAt: '2027-03-09T20:00:00+09:00' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ startsAt: '2027-03-09T09:00:00.000Z', recurrenceId: '2027-03-09T07:00:00.000Z', seriesId, sequence: 1 });

    const may = occurrences[4];
    const cancelled = await api.post(`/api/events/${may.id}/cancel`, { reason: '정족수 미달' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', recurrenceId: '2027-05-11T07:00:00.000Z', sequence: 1 });

    const others = (await api.get(`/api/series/${seriesId}`)).body.occurrences;
    expect(others.filter((event: { sequence: number }) => event.sequence === 0)).toHaveLength(10);
  });

  it('serves the series feed: a master with the RRULE and overrides that ical.js applies to its expansion', async () => {
    const answer = await fetch(`${t.url}/api/series/${seriesId}/calendar.ics`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/calendar; charset=utf-8/);
    expect(answer.headers.get('cache-control')).toBe('public, max-age=300');
    const text = await answer.text();
    expect(text).toContain('DTSTART;TZID=Asia/Seoul:20270112T160000\r\n');
    expect(text).toContain('RRULE:FREQ=MONTHLY;BYDAY=2TU;COUNT=12\r\n');
    expect(text).toContain('RECURRENCE-ID;TZID=Asia/Seoul:20270309T160000\r\n');
    expect(text).toContain('RECURRENCE-ID;TZID=Asia/Seoul:20270511T160000\r\n');
    expect(text).not.toContain('EXDATE');

    const ics = parseIcs(text);
    expect(ics.method).toBe('PUBLISH');
    expect(ics.timezones).toEqual(['Asia/Seoul']);
    expect(ics.events.map((event) => event.uid)).toEqual([seriesUid, seriesUid, seriesUid]);
    const [master, ...exceptions] = ics.events;
    expect(master.isRecurring()).toBe(true);
    expect(master.sequence).toBe(1);
    expect(master.summary).toBe(committee.title);
    expect(master.location).toBe(committee.venue);
    expect(exceptions.map((event) => [event.recurrenceId.toJSDate().toISOString(), event.sequence])).toEqual([
      ['2027-03-09T07:00:00.000Z', 1],
      ['2027-05-11T07:00:00.000Z', 1],
    ]);

    for (const exception of exceptions) master.relateException(exception);
    const iterator = master.iterator();
    const instances: [string, string, string][] = [];
    for (let next = iterator.next(); next; next = iterator.next()) {
      const details = master.getOccurrenceDetails(next);
      instances.push([
        details.startDate.toJSDate().toISOString(),
        details.endDate.toJSDate().toISOString(),
        String(details.item.component.getFirstPropertyValue('status')),
      ]);
    }
    const expected = secondTuesdays.map((start): [string, string, string] => [start, new Date(Date.parse(start) + 2 * 3600_000).toISOString(), 'CONFIRMED']);
    expected[2] = ['2027-03-09T09:00:00.000Z', '2027-03-09T11:00:00.000Z', 'CONFIRMED'];
    expected[4] = ['2027-05-11T07:00:00.000Z', '2027-05-11T09:00:00.000Z', 'CANCELLED'];
    expect(instances).toEqual(expected);

    // The same state gives the same bytes: ETag and 304 as for the cluster feeds.
    const etag = answer.headers.get('etag')!;
    const notModified = await fetch(`${t.url}/api/series/${seriesId}/calendar.ics`, { headers: { 'if-none-match': etag } });
    expect(notModified.status).toBe(304);
  });

  it('shows the published series to anyone, with its cancelled occurrence', async () => {
    const answer = await anonymous.get(`/api/series/${seriesId}`);
    expect(answer.status).toBe(200);
    expect(answer.body.occurrences.map((event: { status: string }) => event.status)).toEqual([
      ...Array(4).fill('published'),
      'cancelled',
      ...Array(7).fill('published'),
    ]);
    const docs = await anonymous.get('/api/docs-json');
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/api/series', '/api/series/{id}', '/api/series/{id}/publish', '/api/series/{id}/calendar.ics']),
    );
  });

  it('takes registrations per occurrence', async () => {
    const april = occurrences[3];
    const registered = await anonymous.post(`/api/events/${april.id}/registrations`, { email: 'minji@hanbit.example', name: '김민지', company: '한빛소프트' });
    expect(registered.status).toBe(202);
    expect(registered.body).toEqual({ status: 'pending_confirmation' });
    const aprilRegistrations = (await api.get(`/api/events/${april.id}/registrations`)).body;
    expect(aprilRegistrations).toEqual([expect.objectContaining({ email: 'minji@hanbit.example', status: 'pending_confirmation' })]);
    expect((await api.get(`/api/events/${occurrences[5].id}/registrations`)).body).toEqual([]);
    // The cancelled occurrence takes no registration; the others are untouched.
    expect((await anonymous.post(`/api/events/${occurrences[4].id}/registrations`, { email: 'minji@hanbit.example', name: '김민지' })).status).toBe(409);
  });

  it('expands a series in a zone with daylight saving time at the same wall clock, and leaves unpublished occurrences out of the feed', async () => {
    const created = await api.post('/api/series', {
      title: 'Green IT weekly',
      type: 'sig_meeting',
      startsAt: '2027-03-11T10:00:00+01:00',
      endsAt: '2027-03-11T11:00:00+01:00',
      timezone: 'Europe/Berlin',
      hostClusters: ['GREEN_IT'],
      rrule: 'FREQ=WEEKLY;UNTIL=20270401',
    });
    expect(created.status).toBe(201);
    expect(created.body.rrule).toBe('FREQ=WEEKLY;UNTIL=20270401T215959Z');
    const starts = created.body.occurrences.map((event: { startsAt: string }) => event.startsAt);
    expect(starts).toEqual(['2027-03-11T09:00:00.000Z', '2027-03-18T09:00:00.000Z', '2027-03-25T09:00:00.000Z', '2027-04-01T08:00:00.000Z']);

    // Only the second occurrence is published: the feed excludes the three others.
    const second = created.body.occurrences[1].id;
    expect((await api.post(`/api/events/${second}/publish`)).status).toBe(200);
    const text = await (await fetch(`${t.url}/api/series/${created.body.id}/calendar.ics`)).text();
    expect(text).toContain('DTSTART;TZID=Europe/Berlin:20270311T100000\r\n');
    expect(text).toContain('EXDATE;TZID=Europe/Berlin:20270311T100000,20270325T100000,20270401T100000\r\n');
    const [master] = parseIcs(text).events;
    const iterator = master.iterator();
    const shown: string[] = [];
    for (let next = iterator.next(); next; next = iterator.next()) shown.push(next.toJSDate().toISOString());
    expect(shown).toEqual(['2027-03-18T09:00:00.000Z']);
    expect((await anonymous.get(`/api/series/${created.body.id}`)).body.occurrences.map((event: { id: string }) => event.id)).toEqual([second]);
  });
  it('mails an occurrence as an instance of the series: the UID, RECURRENCE-ID and SEQUENCE the feed has for it, also after a move', async () => {
    const bob = 'bob@pixel.example';
    const member = await api.post('/api/members', { email: bob, name: 'Robert "Bob" Smith', company: 'Pixel Works', clusterCode: 'ICT', locale: 'en' });
    expect(member.status).toBe(201);
    const march = occurrences[2]; // moved two hours earlier on: an override in the feed, SEQUENCE 1
    const june = occurrences[5]; // as the rule gives it: no override in the feed yet
    for (const event of [march, june]) {
      expect((await api.post(`/api/events/${event.id}/invitations`, { memberIds: [member.body.id] })).body).toEqual({ queued: 1 });
    }
    await t.mailbox.waitFor(() => t.mailbox.to(bob).length === 2, 'the two invitations');
    const invitations = t.mailbox.to(bob).map((mail) => instanceIn(mail, 'REQUEST'));
    const marchId = 'RECURRENCE-ID;TZID=Asia/Seoul:20270309T160000';
    const juneId = 'RECURRENCE-ID;TZID=Asia/Seoul:20270608T160000';
    expect(invitations.map((invitation) => invitation.recurrenceId).sort()).toEqual([marchId, juneId]);

    // March: the invitation is the feed's override of that occurrence, and so is the event's own .ics.
    let feed = await seriesFeed();
    const marchInvitation = invitations.find((invitation) => invitation.recurrenceId === marchId)!;
    expect(marchInvitation).toMatchObject({ uid: seriesUid, sequence: 'SEQUENCE:1', dtstart: 'DTSTART;TZID=Asia/Seoul:20270309T180000' });
    expect(marchInvitation).toEqual(feed.overrides.get(marchId)!);
    expect(await eventIcs(march.id)).toEqual(feed.overrides.get(marchId)!);
    // June: no override yet; the invitation names an instance the master's rule gives, at its original start.
    const juneInvitation = invitations.find((invitation) => invitation.recurrenceId === juneId)!;
    expect(juneInvitation).toMatchObject({ uid: seriesUid, sequence: 'SEQUENCE:0', dtstart: 'DTSTART;TZID=Asia/Seoul:20270608T160000' });
    expect(feed.overrides.has(juneId)).toBe(false);
    expect(feed.ruleStarts).toContain('2027-06-08T07:00:00.000Z');
    expect(await eventIcs(june.id)).toEqual(juneInvitation);
    // One attendee, the member, named as typed (CN with RFC 6868's ^' for the quotes).
    for (const mail of t.mailbox.to(bob)) {
      const [vevent] = parseIcs(calendarParts(mail.parsed).attachment!.text).events;
      expect(vevent.attendees.map((attendee) => [String(attendee.getFirstValue()).toLowerCase(), attendee.getParameter('cn')])).toEqual([
        [`mailto:${bob}`, 'Robert "Bob" Smith'],
      ]);
    }

    // Bob accepts June; then June moves by two hours: confirmation, update and feed agree on the instance.
    const accepted = await pressLink(
      personalLink(
        t.mailbox.to(bob).find((mail) => instanceIn(mail, 'REQUEST').recurrenceId === juneId)!,
        t.url,
      ),
    );
    expect(accepted.status).toBe(200);
    await t.mailbox.waitFor(() => t.mailbox.to(bob).length === 3, 'the confirmation');
    expect(instanceIn(t.mailbox.to(bob)[2], 'REQUEST')).toEqual(juneInvitation);

    const moved = await api.patch(`/api/events/${june.id}`, { startsAt: '2027-06-08T18:00:00+09:00', endsAt: '2027-06-08T20:00:00+09:00' });
    expect(moved.body).toMatchObject({ sequence: 1, recurrenceId: '2027-06-08T07:00:00.000Z' });
    await t.mailbox.waitFor(() => t.mailbox.to(bob).length === 4, 'the update');
    const update = instanceIn(t.mailbox.to(bob)[3], 'REQUEST');
    feed = await seriesFeed();
    expect(update).toMatchObject({ uid: seriesUid, recurrenceId: juneId, sequence: 'SEQUENCE:1', dtstart: 'DTSTART;TZID=Asia/Seoul:20270608T180000' });
    expect(feed.overrides.get(juneId)!).toEqual(update);
    expect(await eventIcs(june.id)).toEqual(update);
    // Bob's own feed holds June (confirmed) as the series feed writes it: the master, every other
    // occurrence an EXDATE, and June's override as the mail said it.
    const bobFeed = await (await fetch((await api.post(`/api/members/${member.body.id}/feed`, {})).body.url)).text();
    const [bobMaster, ...bobOverrides] = instancesIn(bobFeed);
    expect(bobMaster).toMatchObject({ uid: seriesUid, recurrenceId: undefined });
    expect(bobOverrides).toEqual([update]);
    const [bobSeries, ...bobExceptions] = parseIcs(bobFeed).events;
    for (const exception of bobExceptions) bobSeries.relateException(exception);
    const held: string[] = [];
    const bobIterator = bobSeries.iterator();
    for (let next = bobIterator.next(); next; next = bobIterator.next()) held.push(bobSeries.getOccurrenceDetails(next).startDate.toJSDate().toISOString());
    expect(held).toEqual(['2027-06-08T09:00:00.000Z']);
    // The cluster feed names the committee's meetings by the series' UID too, never an occurrence's.
    const clusterUids = new Set(instancesIn(await (await fetch(`${t.url}/api/clusters/ICT/calendar.ics`)).text()).map((instance) => instance.uid));
    expect(clusterUids.has(seriesUid)).toBe(true);
    expect(occurrences.filter((occurrence) => clusterUids.has(occurrence.uid))).toEqual([]);

    // Cancelling June: METHOD:CANCEL of that one instance, and the feed's override says CANCELLED with the same SEQUENCE.
    expect((await api.post(`/api/events/${june.id}/cancel`, { reason: '회의실 사정' })).body).toMatchObject({ status: 'cancelled', sequence: 2 });
    await t.mailbox.waitFor(() => t.mailbox.to(bob).length === 5, 'the cancellation');
    const cancel = instanceIn(t.mailbox.to(bob)[4], 'CANCEL');
    feed = await seriesFeed();
    expect(cancel).toMatchObject({ uid: seriesUid, recurrenceId: juneId, sequence: 'SEQUENCE:2', status: 'STATUS:CANCELLED' });
    expect(feed.overrides.get(juneId)!).toEqual(cancel);
    // Still one meeting per original start, for ical.js applying the overrides to the rule.
    expect(feed.ruleStarts).toHaveLength(12);
  });

  interface Instance {
    uid: string;
    recurrenceId: string | undefined;
    sequence: string;
    dtstart: string;
    dtend: string;
    status: string;
  }

  /** What says which instance a VEVENT is, which version, when and whether it takes place, as written (unfolded lines). */
  function instancesIn(text: string): Instance[] {
    const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n');
    const out: Instance[] = [];
    lines.forEach((line, index) => {
      if (line !== 'BEGIN:VEVENT') return;
      const vevent = lines.slice(index, lines.indexOf('END:VEVENT', index));
      const find = (name: string) => vevent.find((candidate) => candidate.startsWith(`${name}:`) || candidate.startsWith(`${name};`));
      out.push({
        uid: find('UID')!.slice('UID:'.length),
        recurrenceId: find('RECURRENCE-ID'),
        sequence: find('SEQUENCE')!,
        dtstart: find('DTSTART')!,
        dtend: find('DTEND')!,
        status: find('STATUS')!,
      });
    });
    return out;
  }

  /** The one VEVENT of a mail's calendar message; the text/calendar part's method= and the file's METHOD are `method`. */
  function instanceIn(mail: CapturedMail, method: 'REQUEST' | 'CANCEL'): Instance {
    const parts = calendarParts(mail.parsed);
    expect(parts.alternative?.method).toBe(method);
    expect(parseIcs(parts.attachment!.text).method).toBe(method);
    const found = instancesIn(parts.attachment!.text);
    expect(found).toHaveLength(1);
    return found[0];
  }

  async function eventIcs(id: string): Promise<Instance> {
    const found = instancesIn(await (await fetch(`${t.url}/api/events/${id}/calendar.ics`)).text());
    expect(found).toHaveLength(1);
    return found[0];
  }

  /** The committee's feed: its overrides by RECURRENCE-ID line, and the starts ical.js gives the master's rule with them applied. */
  async function seriesFeed(): Promise<{ overrides: Map<string, Instance>; ruleStarts: string[] }> {
    const text = await (await fetch(`${t.url}/api/series/${seriesId}/calendar.ics`)).text();
    const [master, ...overrides] = instancesIn(text);
    expect(master.recurrenceId).toBeUndefined();
    const [masterEvent, ...exceptions] = parseIcs(text).events;
    for (const exception of exceptions) masterEvent.relateException(exception);
    const ruleStarts: string[] = [];
    const iterator = masterEvent.iterator();
    for (let next = iterator.next(); next; next = iterator.next()) ruleStarts.push(next.toJSDate().toISOString());
    return { overrides: new Map(overrides.map((override) => [override.recurrenceId!, override])), ruleStarts };
  }
});
