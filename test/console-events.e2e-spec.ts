import { ConsoleClient, signedInConsole } from './support/console-client';
import { Answer, client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

const DC = 'dc-office@park.example';
const ICT = 'ict-office@park.example';

/** Issue 9: the console's events, the event form with its agenda, the overview, approvals and the co-hosting mails. */
describe('console events, approvals and co-host mails', () => {
  let t: TestApp;
  let api: ReturnType<typeof client>;
  let dc: ConsoleClient;
  let ict: ConsoleClient;
  let ictOnlyId: string;

  /** The new-event form as a browser fills it: two agenda rows plus the blank ones the page offers. */
  function seminarForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
    return {
      title: 'AI × 콘텐츠 융합 세미나',
      type: 'seminar',
      description: '',
      date: '2027-03-10',
      startTime: '14:00',
      endDate: '',
      endTime: '17:00',
      timezone: 'Asia/Seoul',
      venue: '판교 세미나실 A',
      onlineUrl: '',
      host: 'DC',
      coHosts: ['ICT'],
      audience: ['ICT', 'IMT', 'DC', 'GREEN_IT'],
      capacity: '50',
      quota_ICT: '20',
      quota_IMT: '',
      quota_DC: '20',
      quota_GREEN_IT: '',
      quotaReleaseDate: '',
      quotaReleaseTime: '',
      opensDate: '',
      opensTime: '',
      closesDate: '',
      closesTime: '',
      reminders: ['1440', '60'],
      agendaStart: ['14:00', '14:10', ''],
      agendaEnd: ['14:10', '15:00', ''],
      agendaTitle: ['개회사', '생성형 AI와 콘텐츠', ''],
      agendaSpeaker: ['', '김민지', ''],
      agendaAffiliation: ['', '한빛소프트', ''],
      ...overrides,
    };
  }

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres' });
    api = client(t.url, t.adminToken);
    expect((await api.post('/api/organizers', { email: DC, name: '박서연', role: 'cluster_organizer', clusters: ['DC'] })).status).toBe(201);
    expect((await api.post('/api/organizers', { email: ICT, name: '이준호', role: 'cluster_organizer', clusters: ['ICT'] })).status).toBe(201);
    const ictOnly = await api.post('/api/events', {
      title: 'ICT 단독 세미나',
      type: 'seminar',
      startsAt: '2027-04-01T10:00:00+09:00',
      endsAt: '2027-04-01T12:00:00+09:00',
      hostClusters: ['ICT'],
    });
    ictOnlyId = ictOnly.body.id as string;
    dc = await signedInConsole(t.url, t.mailbox, DC);
    ict = await signedInConsole(t.url, t.mailbox, ICT);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("keeps a DC organizer off an ICT-only event's pages (403) and out of its list", async () => {
    const list = await dc.get('/console/events');
    expect(list.status).toBe(200);
    expect(list.html).toContain('href="/console/events/new"');
    expect(list.html).not.toContain('ICT 단독 세미나');
    expect((await ict.get('/console/events')).html).toContain(`href="/console/events/${ictOnlyId}"`);
    for (const path of [`/console/events/${ictOnlyId}`, `/console/events/${ictOnlyId}/edit`]) {
      const page = await dc.get(path);
      expect([path, page.status]).toEqual([path, 403]);
      expect(page.html).toContain('담당 클러스터가 주최하거나 공동 주최하는 행사가 아닙니다');
    }
    await dc.get('/console/events/new');
    expect((await dc.post(`/console/events/${ictOnlyId}/publish`)).status).toBe(403);
    expect((await dc.post(`/console/events/${ictOnlyId}/edit`, seminarForm())).status).toBe(403);
    expect((await api.get(`/api/events/${ictOnlyId}`)).body.status).toBe('draft');
  });

  it('refuses a form sent without its CSRF token, and stores nothing', async () => {
    const before = (await t.db.query('SELECT count(*)::int AS n FROM events')).rows[0].n as number;
    const refused = await dc.post('/console/events/new', seminarForm(), null);
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('양식은 만료되었거나');
    expect((await t.db.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(before);
  });

  it('shows each error next to its field with what was typed kept, and adds and removes agenda rows without JavaScript', async () => {
    const form = await dc.get('/console/events/new');
    expect(form.html).toMatch(/<option value="DC" selected>/); // the organizer's own cluster preselected
    expect(form.html).toMatch(/<option value="Asia\/Seoul" selected>한국 표준시/);
    expect(form.html).toMatch(/<label for="ev-title">제목<\/label>/);
    const before = (await t.db.query('SELECT count(*)::int AS n FROM events')).rows[0].n as number;
    const bad = await dc.post(
      '/console/events/new',
      seminarForm({ title: '오류 <확인> 세미나', endTime: '13:00', onlineUrl: 'meet.example', capacity: '30', agendaStart: ['14:00', '12:00', ''] }),
    );
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('입력 내용을 확인해 주세요');
    expect(bad.html).toContain('value="오류 &lt;확인&gt; 세미나"');
    expect(bad.html).toContain('value="meet.example"');
    expect(bad.html).toMatch(/id="ev-online-error">온라인 링크는 http/);
    expect(bad.html).toMatch(/id="ev-end-error">종료 시각은 시작 시각보다 뒤여야/);
    expect(bad.html).toContain('value="12:00"');
    expect(bad.html).toMatch(/id="ev-quotas-error">클러스터별 배정석은/); // 20 + 20 reserved of 30
    expect((await t.db.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(before);

    // An agenda row outside the event is found by the use case and shown on its row.
    const outside = await dc.post('/console/events/new', seminarForm({ agendaStart: ['14:00', '18:00', ''], agendaEnd: ['14:10', '', ''] }));
    expect(outside.status).toBe(400);
    expect(outside.html).toMatch(/id="ag-1-start" name="agendaStart" type="time" value="18:00" aria-invalid="true"/);
    expect(outside.html).toContain('시작 시각은 행사 시간 안이어야');

    const added = await dc.post('/console/events/new', seminarForm({ action: 'addRow' }));
    expect(added.status).toBe(200);
    expect(added.html.match(/name="agendaTitle"/g)).toHaveLength(4);
    expect(added.html).toContain('value="생성형 AI와 콘텐츠"');
    const removed = await dc.post('/console/events/new', seminarForm({ removeRow: '0' }));
    expect(removed.html).not.toContain('value="개회사"');
    expect(removed.html).toContain('value="생성형 AI와 콘텐츠"');
    expect((await t.db.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(before);
  });

  let seminarId: string;

  it('creates a seminar co-hosted with ICT through the form: a draft with its agenda, and ICT is asked by email', async () => {
    await dc.get('/console/events/new');
    const created = await dc.post('/console/events/new', seminarForm());
    expect(created.status).toBe(303);
    seminarId = /^\/console\/events\/([0-9a-f-]{36})$/.exec(created.location ?? '')![1];
    const event = (await api.get(`/api/events/${seminarId}`)).body;
    expect(event).toMatchObject({ status: 'draft', hostClusters: ['ICT', 'DC'], capacity: 50, timezone: 'Asia/Seoul', startsAt: '2027-03-10T05:00:00.000Z' });
    expect(event.agenda).toEqual([
      { startsAt: '2027-03-10T05:00:00.000Z', endsAt: '2027-03-10T05:10:00.000Z', title: '개회사', speaker: null, affiliation: null },
      { startsAt: '2027-03-10T05:10:00.000Z', endsAt: '2027-03-10T06:00:00.000Z', title: '생성형 AI와 콘텐츠', speaker: '김민지', affiliation: '한빛소프트' },
    ]);
    expect(event.approvals).toEqual([{ cluster: 'ICT', status: 'pending', reason: null }]);

    const overview = await dc.get(created.location!);
    expect(overview.html).toContain('초안으로 저장했습니다');
    expect(overview.html).toMatch(/<span class="status approval-pending">대기<\/span>/);
    expect(overview.html).toMatch(/<button type="submit" disabled aria-describedby="ev-publish-blocked">게시<\/button>/);
    expect(overview.html).toContain('아직: ICT');
    for (const tab of ['invitations', 'registrations', 'deliveries', 'door']) expect(overview.html).toContain(`href="/console/events/${seminarId}/${tab}"`);
    const english = await dc.get(`/console/events/${seminarId}?lang=en`);
    expect(english.html).toContain('Co-host approvals');
    expect(english.html).toContain('Not yet: ICT');
    await dc.get(`/console/events/${seminarId}?lang=ko`);

    await t.mailbox.waitFor(() => t.mailbox.to(ICT).some((mail) => mail.parsed.subject?.includes('공동 주최 승인 요청')), 'the approval request to ICT');
    const asked = t.mailbox.to(ICT).find((mail) => mail.parsed.subject?.includes('공동 주최 승인 요청'))!;
    expect(asked.parsed.subject).toContain('AI × 콘텐츠 융합 세미나');
    expect(asked.parsed.text).toContain(`${t.url}/console/approvals`);
    expect(asked.parsed.text).toContain(DC);
    expect(t.mailbox.to(DC).some((mail) => mail.parsed.subject?.includes('승인 요청'))).toBe(false);
    expect((await ict.get('/console')).html).toMatch(/승인 요청 <span class="nav-count">1</);
  });

  it('blocks publishing until ICT approves; a decline needs its reason and mails the proposer, then an approval lets DC publish', async () => {
    await dc.get(`/console/events/${seminarId}`);
    const early = await dc.post(`/console/events/${seminarId}/publish`);
    expect([early.status, early.location]).toEqual([303, `/console/events/${seminarId}`]);
    expect((await dc.get(early.location!)).html).toContain('게시하지 못했습니다');
    expect((await api.get(`/api/events/${seminarId}`)).body.status).toBe('draft');

    expect((await ict.get(`/console/events/${seminarId}`)).html).toContain('담당 클러스터의 승인을 기다리는 행사입니다');
    const page = await ict.get('/console/approvals');
    expect(page.html).toContain('AI × 콘텐츠 융합 세미나');
    expect(page.html).toContain(`action="/console/approvals/${seminarId}"`);
    const noReason = await ict.post(`/console/approvals/${seminarId}`, { cluster: 'ICT', decision: 'decline', reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.html).toMatch(/class="field-error" id="decline-reason-0-error">거절하려면 사유를/);
    expect((await t.db.query(`SELECT status FROM event_approvals WHERE event_id = $1`, [seminarId])).rows).toEqual([{ status: 'pending' }]);
    // A DC organizer cannot answer for ICT.
    await dc.get('/console/approvals');
    const notTheirs = await dc.post(`/console/approvals/${seminarId}`, { cluster: 'ICT', decision: 'approve' });
    expect((await dc.get(notTheirs.location!)).html).toContain('더 이상 결정할 수 없습니다');

    await ict.get('/console/approvals');
    const declined = await ict.post(`/console/approvals/${seminarId}`, { cluster: 'ICT', decision: 'decline', reason: '일정 겹침' });
    expect([declined.status, declined.location]).toEqual([303, '/console/approvals']);
    await t.mailbox.waitFor(() => t.mailbox.to(DC).some((mail) => mail.parsed.subject?.includes('공동 주최 거절')), 'the decline mail to DC');
    const declineMail = t.mailbox.to(DC).find((mail) => mail.parsed.subject?.includes('공동 주최 거절'))!;
    expect(declineMail.parsed.text).toContain('일정 겹침');
    expect(declineMail.parsed.text).toContain(`${t.url}/console/events/${seminarId}`);
    const blocked = await dc.get(`/console/events/${seminarId}`);
    expect(blocked.html).toMatch(/approval-declined">거절<\/span> — 일정 겹침/);
    expect(blocked.html).toMatch(/아직: [^<]*\(거절: 일정 겹침\)/);

    await ict.get('/console/approvals');
    expect((await ict.post(`/console/approvals/${seminarId}`, { cluster: 'ICT', decision: 'approve' })).status).toBe(303);
    await t.mailbox.waitFor(() => t.mailbox.to(DC).some((mail) => mail.parsed.subject?.includes('공동 주최 승인]')), 'the approval mail to DC');
    const ready = await dc.get(`/console/events/${seminarId}`);
    expect(ready.html).toMatch(/<button type="submit">게시<\/button>/);
    const published = await dc.post(`/console/events/${seminarId}/publish`);
    expect(published.status).toBe(303);
    expect((await dc.get(published.location!)).html).toContain('게시했습니다');
    expect((await api.get(`/api/events/${seminarId}`)).body.status).toBe('published');
    expect((await ict.get('/console/approvals')).html).toContain('기다리는 승인 요청이 없습니다');
  });

  it('shows seats, registrations per day and the cluster mix as tables and chart data, and delivery counts', async () => {
    await t.db.query(
      `INSERT INTO registrations (event_id, email, name, company, cluster_code, status, source, confirmed_at, created_at)
       VALUES ($1, 'a@x.example', 'A', 'X', 'ICT', 'confirmed', 'public', now(), '2027-03-01T01:00:00Z'), ($1, 'b@x.example', 'B', 'X', 'DC', 'confirmed', 'public', now(), '2027-03-01T02:00:00Z'),
              ($1, 'c@x.example', 'C', 'X', 'ICT', 'waitlisted', 'public', null, '2027-03-02T16:00:00Z')`,
      [seminarId],
    );
    const page = await dc.get(`/console/events/${seminarId}`);
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<dt>확정<\/dt><dd>2<\/dd>/);
    expect(page.html).toMatch(/<dt>대기<\/dt><dd>1<\/dd>/);
    // 2027-03-02T16:00Z is 3 March in Seoul: days are the event's.
    expect(page.html).toMatch(/<td data-label="날짜">2027-03-01<\/td><td data-label="참가 신청">2<\/td>/);
    expect(page.html).toMatch(/<td data-label="날짜">2027-03-03<\/td><td data-label="참가 신청">1<\/td>/);
    expect(page.html).toContain('<canvas id="chart-per-day" data-chart="bar" data-chart-data="chart-per-day-data"');
    const data = JSON.parse(/<script type="application\/json" id="chart-cluster-mix-data">([^<]*)<\/script>/.exec(page.html)![1]);
    expect(data).toEqual({ labels: [expect.any(String), expect.any(String)], datasets: [{ label: expect.any(String), data: [2, 1] }] });
    expect(page.html).toMatch(/<dt>발송 완료<\/dt><dd>\d+<\/dd>/);
    expect(page.html).toContain('<script src="/assets/vendor/chart.umd.js" defer></script>');
    const chartJs = await fetch(`${t.url}/assets/vendor/chart.umd.js`);
    expect([chartJs.status, chartJs.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(await chartJs.text()).toContain('Chart.js v4');
  });

  it('edits the event with the same form: values shown in the event zone, agenda kept, change saved', async () => {
    const edit = await dc.get(`/console/events/${seminarId}/edit`);
    expect(edit.status).toBe(200);
    expect(edit.html).toContain('value="2027-03-10"');
    expect(edit.html).toContain('id="ev-start" name="startTime" type="time" required value="14:00"');
    expect(edit.html).toContain('value="한빛소프트"');
    const saved = await dc.post(
      `/console/events/${seminarId}/edit`,
      seminarForm({ title: 'AI × 콘텐츠 융합 세미나 (2부)', agendaTitle: ['개회사', '생성형 AI', ''] }),
    );
    expect([saved.status, saved.location]).toEqual([303, `/console/events/${seminarId}`]);
    const event = (await api.get(`/api/events/${seminarId}`)).body;
    expect(event.title).toBe('AI × 콘텐츠 융합 세미나 (2부)');
    expect(event.agenda.map((item: { title: string }) => item.title)).toEqual(['개회사', '생성형 AI']);
  });

  it('asks a co-host added to a draft by an edit, and drops the approval of a co-host taken off', async () => {
    await dc.get('/console/events/new');
    const created = await dc.post('/console/events/new', seminarForm({ title: 'DC 단독 초안', coHosts: [], quota_ICT: '' }));
    const id = /([0-9a-f-]{36})$/.exec(created.location!)![1];
    expect((await api.get(`/api/events/${id}`)).body.approvals).toEqual([]);
    await dc.get(`/console/events/${id}/edit`);
    expect((await dc.post(`/console/events/${id}/edit`, seminarForm({ title: 'DC 단독 초안', coHosts: ['ICT'], quota_ICT: '' }))).status).toBe(303);
    expect((await api.get(`/api/events/${id}`)).body.approvals).toEqual([{ cluster: 'ICT', status: 'pending', reason: null }]);
    await t.mailbox.waitFor(() => t.mailbox.to(ICT).some((mail) => mail.parsed.subject?.includes('DC 단독 초안')), 'the approval request for the edited draft');
    await dc.get(`/console/events/${id}/edit`);
    expect((await dc.post(`/console/events/${id}/edit`, seminarForm({ title: 'DC 단독 초안', coHosts: [], quota_ICT: '' }))).status).toBe(303);
    expect((await api.get(`/api/events/${id}`)).body.approvals).toEqual([]);

    // Cancelling from the overview: only with the box ticked that says who will be told; a reason too long is
    // refused and changes nothing; then cancelled, audited.
    const overview = await dc.get(`/console/events/${id}`);
    expect(overview.html).toContain('신청자 0명에게 취소 안내가 발송되고');
    expect(overview.html).toMatch(/<input type="checkbox" name="confirm" value="yes" required>/);
    const unconfirmed = await dc.post(`/console/events/${id}/cancel`, { reason: '연사 일정 변경' });
    expect((await dc.get(unconfirmed.location!)).html).toContain('확인란을 선택해 주세요');
    expect((await api.get(`/api/events/${id}`)).body.status).toBe('draft');
    const tooLong = await dc.post(`/console/events/${id}/cancel`, { reason: '가'.repeat(2001), confirm: 'yes' });
    expect((await dc.get(tooLong.location!)).html).toContain('취소 사유는 2000자 이내로');
    expect((await api.get(`/api/events/${id}`)).body.status).toBe('draft');
    const cancelled = await dc.post(`/console/events/${id}/cancel`, { reason: '연사 일정 변경', confirm: 'yes' });
    expect(cancelled.status).toBe(303);
    const after = await dc.get(cancelled.location!);
    expect(after.html).toContain('취소했습니다');
    expect(after.html).not.toContain(`action="/console/events/${id}/cancel"`);
    expect((await api.get(`/api/events/${id}`)).body).toMatchObject({ status: 'cancelled', cancelReason: '연사 일정 변경' });
    expect((await t.db.query(`SELECT actor FROM audit_log WHERE action = 'event.cancel' AND target = $1`, [`event ${id}`])).rows).toEqual([{ actor: DC }]);
  });

  it('filters the list by period and status, and pages past events latest first without repeating one', async () => {
    const past = (day: number) => new Date(t.clock.now().getTime() - day * 86_400_000);
    for (let day = 1; day <= 21; day++) {
      const answer = await api.post('/api/events', {
        title: `지난 모임 ${String(day).padStart(2, '0')}`,
        type: 'sig_meeting',
        startsAt: past(day).toISOString(),
        endsAt: new Date(past(day).getTime() + 3_600_000).toISOString(),
        hostClusters: ['DC'],
      });
      expect(answer.status).toBe(201);
    }
    const titles = (html: string) => [...html.matchAll(/<a href="\/console\/events\/[0-9a-f-]{36}">([^<]+)<\/a>/g)].map((match) => match[1]);
    const upcoming = await dc.get('/console/events');
    expect(titles(upcoming.html)).toContain('AI × 콘텐츠 융합 세미나 (2부)');
    expect(titles(upcoming.html).some((title) => title.startsWith('지난 모임'))).toBe(false);
    expect(titles((await dc.get('/console/events?period=upcoming&status=draft')).html)).not.toContain('AI × 콘텐츠 융합 세미나 (2부)');

    const first = await dc.get('/console/events?period=past');
    const firstTitles = titles(first.html);
    expect(firstTitles).toHaveLength(20);
    expect(firstTitles.slice(0, 2)).toEqual(['지난 모임 01', '지난 모임 02']);
    const next = /<a href="([^"]+)" rel="next">/
      .exec(first.html)![1]
      .replace(/&amp;/g, '&')
      .replace(/&#x3D;/g, '=');
    const second = await dc.get(next);
    expect(titles(second.html)).toEqual(['지난 모임 21']);
    expect(second.html).not.toContain('rel="next"');
  });

  it('pages GET /api/events by a keyset cursor in a stable order, and refuses a forged cursor', async () => {
    for (const day of ['05', '06', '07']) {
      await api.post('/api/events', {
        title: `page ${day}`,
        type: 'seminar',
        startsAt: `2027-05-${day}T10:00:00+09:00`,
        endsAt: `2027-05-${day}T11:00:00+09:00`,
        hostClusters: ['IMT'],
      });
    }
    const seen: string[] = [];
    let path: string | null = '/api/events?from=2027-05-01T00:00:00%2B09:00&to=2027-06-01T00:00:00%2B09:00&limit=2';
    let pages = 0;
    while (path) {
      const page: Answer = await api.get(path);
      expect(page.status).toBe(200);
      seen.push(...page.body.map((event: { title: string }) => event.title));
      const link: string | null = page.headers.get('link');
      path = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1] : null;
      if (path) expect(path).toContain(`after=${page.headers.get('x-next-cursor')}`);
      pages += 1;
    }
    expect(pages).toBe(2);
    expect(seen.filter((title) => title.startsWith('page'))).toEqual(['page 05', 'page 06', 'page 07']);
    const forged = await api.get('/api/events?limit=2&after=bm90LWEtY3Vyc29y');
    expect([forged.status, JSON.stringify(forged.body.message)]).toEqual([400, expect.stringContaining('after must be a cursor') as unknown]);
    expect((await api.get('/api/events?limit=0')).status).toBe(400);
  });

  it('writes the approval request in the language the co-host organizer reads the console in', async () => {
    const GREEN = 'green-office@park.example';
    expect((await api.post('/api/organizers', { email: GREEN, role: 'cluster_organizer', clusters: ['GREEN_IT'] })).status).toBe(201);
    // Green IT's organizer asks for a sign-in link from the English page: the console remembers English for them.
    const english = new ConsoleClient(t.url);
    await english.get('/console/sign-in?lang=en');
    await english.post('/console/sign-in', { email: GREEN });
    await t.mailbox.waitFor(() => t.mailbox.to(GREEN).length === 1, 'the sign-in mail');
    await dc.get('/console/events/new');
    const created = await dc.post('/console/events/new', seminarForm({ title: 'Green convergence day', coHosts: ['GREEN_IT'], quota_ICT: '' }));
    expect(created.status).toBe(303);
    await t.mailbox.waitFor(() => t.mailbox.to(GREEN).length === 2, 'the approval request to Green IT');
    expect(t.mailbox.to(GREEN)[1].parsed.subject).toBe('[Co-host approval requested] Green convergence day');
  });
});
