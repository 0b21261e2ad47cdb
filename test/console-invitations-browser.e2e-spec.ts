import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, recordCspViolations } from './support/browser';
import { signedInConsole } from './support/console-client';
import { client } from './support/http';
import { waitUntil } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

const ICT_OFFICE = 'ict-office@park.example';
const TITLE = 'AI × 콘텐츠 융합 세미나';

/**
 * Flow 3 of CONSOLE.md in a real headless Chromium: an ICT organizer previews the invitation in
 * both languages, sends it, and follows it to 발송 현황; the pages hold their CSP (the preview
 * frames too) and fit a 360 px phone. Screenshots go to the folder printed at the start.
 */
describe('invitations and deliveries in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let shots: string;
  let shot = 0;
  let eventId: string;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    shots = mkdtempSync(join(tmpdir(), 'console-invitations-screens-'));
    console.log(`console screenshots: ${shots}`);
    [t, browser] = await Promise.all([startTestApp({ queue: 'postgres' }), launchChromium()]);
    const api = client(t.url, t.adminToken);
    await api.post('/api/organizers', { email: ICT_OFFICE, role: 'cluster_organizer', clusters: ['ICT'] });
    await api.post('/api/members', { email: 'kim@hanbit.example', name: '김민지', company: '한빛소프트', clusterCode: 'ICT', locale: 'ko' });
    await api.post('/api/members', { email: 'smith@hanbit.example', name: 'John Smith', company: '한빛소프트', clusterCode: 'ICT', locale: 'en' });
    const startsAt = new Date(Date.now() + 30 * 86_400_000);
    const event = await api.post('/api/events', {
      title: TITLE,
      type: 'seminar',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
      venue: '판교 세미나실 A',
      hostClusters: ['ICT'],
      audienceClusters: ['ICT'],
    });
    eventId = event.body.id as string;
    expect((await api.post(`/api/events/${eventId}/publish`)).status).toBe(200);
    // Signed in through the mailed link by the HTTP client; the browser takes over the session cookie.
    const session = await signedInConsole(t.url, t.mailbox, ICT_OFFICE);
    context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 800 } });
    await context.addCookies([{ name: 'sh_session', value: session.cookies.get('sh_session')!, url: t.url }]);
    page = await context.newPage();
    recordCspViolations(page, cspViolations);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  async function snap(name: string): Promise<void> {
    shot += 1;
    await page.screenshot({ path: join(shots, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
  }
  const scrollWidth = () => page.evaluate<number>('document.documentElement.scrollWidth');

  it('previews in Korean and English, sends, and shows the deliveries, without a CSP violation, at 1280 and 360 px', async () => {
    await page.goto(`${t.url}/console/events/${eventId}/invitations`);
    expect(await page.locator('#plan-invited').innerText()).toBe('2');
    const [ko, en] = [page.frameLocator('iframe[title="한국어 메일"]'), page.frameLocator('iframe[title="영어 메일"]')];
    await ko.getByText('참석하기').first().waitFor({ timeout: 10_000 });
    await en.getByText('Attend').first().waitFor({ timeout: 10_000 });
    expect(await ko.locator('body').innerText()).toContain(TITLE);
    expect(await en.locator('body').innerText()).toContain(TITLE);
    await snap('invitations');
    await page.locator('iframe[title="한국어 메일"]').screenshot({ path: join(shots, 'preview-ko.png') });

    await page.setViewportSize({ width: 360, height: 740 });
    expect(await scrollWidth()).toBeLessThanOrEqual(360);
    await snap('invitations-360');
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByRole('button', { name: '초대장 발송' }).click();
    await page.waitForURL(`${t.url}/console/events/${eventId}/invitations`);
    expect(await page.getByRole('status').innerText()).toContain('초대장 2통을 발송 대기열에 넣었습니다.');
    await waitUntil(async () => {
      await page.reload();
      return (await page.locator('#progress-sent').innerText()) === '2';
    }, 'the progress to show both invitations sent');
    expect(t.mailbox.to('kim@hanbit.example')).toHaveLength(1);
    expect(t.mailbox.to('smith@hanbit.example')).toHaveLength(1);
    await snap('invitations-sent');

    await page.getByRole('main').getByRole('link', { name: '발송 현황' }).click();
    await page.waitForURL(`${t.url}/console/events/${eventId}/deliveries`);
    expect(await page.locator('#count-sent').innerText()).toBe('2');
    await snap('deliveries');
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await scrollWidth()).toBeLessThanOrEqual(360);
    await snap('deliveries-360');
    await page.goto(`${t.url}/console/deliveries`);
    expect(await scrollWidth()).toBeLessThanOrEqual(360);
    await snap('deliveries-overview-360');
    expect(cspViolations).toEqual([]);
  });
});
