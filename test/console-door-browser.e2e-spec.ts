import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, recordCspViolations } from './support/browser';
import { ConsoleClient, signInToken } from './support/console-client';
import { client } from './support/http';
import { personalLink, pressLink } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

const DC = 'dc-office@park.example';

/**
 * 출석 체크 on a phone in a real headless Chromium: door staff open the link an organizer made,
 * press the button, type a code and see the person, then "이미 입장"; 360 px wide with no
 * horizontal scroll, big enough to tap, and no Content-Security-Policy violation.
 */
describe('the door page in a browser, as door staff', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let eventId: string;
  let code: string;
  let link: string;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp({ queue: 'postgres' }), launchChromium()]);
    const api = client(t.url, t.adminToken);
    expect((await api.post('/api/organizers', { email: DC, role: 'cluster_organizer', clusters: ['DC'] })).status).toBe(201);
    expect((await api.post('/api/members', { email: 'minji@pixel.example', name: '김민지', company: '픽셀웍스', clusterCode: 'DC' })).status).toBe(201);
    const startsAt = new Date(Date.now() + 7 * 86_400_000);
    eventId = (
      await api.post('/api/events', {
        title: 'DC 콘텐츠 포럼',
        type: 'seminar',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
        venue: '판교',
        hostClusters: ['DC'],
        audienceClusters: ['DC'],
      })
    ).body.id;
    expect((await api.post(`/api/events/${eventId}/publish`)).status).toBe(200);
    await api.post(`/api/events/${eventId}/invitations`, {});
    await t.mailbox.waitFor(() => t.mailbox.to('minji@pixel.example').length === 1, 'the invitation');
    expect((await pressLink(personalLink(t.mailbox.to('minji@pixel.example')[0], t.url))).status).toBe(200);
    await t.mailbox.waitFor(() => t.mailbox.to('minji@pixel.example').length === 2, 'the confirmation');
    code = /([0-9A-Z]{4}-[0-9A-Z]{4})/.exec(t.mailbox.to('minji@pixel.example')[1].parsed.text ?? '')![1];

    // The organizer makes the door link (over HTTP: the suites of the console pages cover that part).
    const organizer = new ConsoleClient(t.url);
    await organizer.get('/console/sign-in');
    await organizer.post('/console/sign-in', { email: DC });
    await t.mailbox.waitFor(() => t.mailbox.to(DC).length === 1, 'the sign-in mail');
    const token = signInToken(t.mailbox.to(DC)[0].parsed.text);
    await organizer.get(`/console/sign-in/${token}`);
    await organizer.post(`/console/sign-in/${token}`);
    await organizer.get(`/console/events/${eventId}/door`);
    await organizer.post(`/console/events/${eventId}/door/links`, { label: '접수 데스크' });
    link = /id="door-fresh-link"[^>]*value="([^"]+)"/.exec((await organizer.get(`/console/events/${eventId}/door`)).html)![1];

    context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    page = await context.newPage();
    recordCspViolations(page, cspViolations);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('signs door staff in from the link and checks a person in at 360 px, then says 이미 입장', async () => {
    await page.goto(link);
    await page.getByRole('button', { name: '출석 체크 시작' }).click();
    await page.waitForURL(`${t.url}/console/events/${eventId}/door`);
    expect(await page.getByRole('status').innerText()).toContain('접수 데스크, 출석 체크를 시작할 수 있습니다.');

    const field = page.getByLabel('입장 코드 (QR 스캔 또는 입력)');
    await field.fill(code.toLowerCase());
    await page.getByRole('button', { name: '입장 확인' }).click();
    await page.waitForURL(`${t.url}/console/events/${eventId}/door`);
    expect(await page.getByRole('status').innerText()).toMatch(/✓ 입장 확인: 김민지 · 픽셀웍스 · 디지털콘텐츠/);

    await page.getByLabel('입장 코드 (QR 스캔 또는 입력)').fill(code);
    await page.getByRole('button', { name: '입장 확인' }).click();
    await page.waitForURL(`${t.url}/console/events/${eventId}/door`);
    expect(await page.getByRole('status').innerText()).toContain('이미 입장: 김민지');

    // A phone in portrait: nothing to scroll sideways, and the button is a big target.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    const button = await page.getByRole('button', { name: '입장 확인' }).boundingBox();
    expect(button!.height).toBeGreaterThanOrEqual(48);
    expect(button!.width).toBeGreaterThanOrEqual(260);
    // The field has the focus for the next person (autofocus).
    expect(await page.evaluate<string>('document.activeElement && document.activeElement.id')).toBe('door-code');

    // Anything but this door is refused.
    const consolePage = await page.goto(`${t.url}/console`);
    expect(consolePage!.status()).toBe(403);
    expect(cspViolations).toEqual([]);
  });
});
