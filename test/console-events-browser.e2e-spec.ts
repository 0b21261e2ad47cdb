import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { launchChromium, recordCspViolations } from './support/browser';
import { signInToken } from './support/console-client';
import { client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

const DC = 'dc-office@park.example';

/**
 * Issue 9, in a real headless Chromium on a 360 px phone: a DC organizer creates a seminar with
 * its programme through the form, lands on the overview, and sees the charts drawn by Chart.js
 * (served by the app) with no CSP violation and no horizontal scrolling. Screenshots go to the
 * folder printed at the start.
 */
describe('creating a seminar in the console, in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let shots: string;
  let shot = 0;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    shots = mkdtempSync(join(tmpdir(), 'console-events-screens-'));
    console.log(`console event screenshots: ${shots}`);
    [t, browser] = await Promise.all([startTestApp({ queue: 'postgres' }), launchChromium()]);
    expect((await client(t.url, t.adminToken).post('/api/organizers', { email: DC, name: '박서연', role: 'cluster_organizer', clusters: ['DC'] })).status).toBe(
      201,
    );
    const context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 360, height: 740 } });
    page = await context.newPage();
    recordCspViolations(page, cspViolations);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function snap(name: string): Promise<void> {
    shot += 1;
    await page.screenshot({ path: join(shots, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
  }
  // The test code has no DOM types: the expression runs in the page.
  const fits = async () => (await page.evaluate<number>('document.documentElement.scrollWidth')) <= 360;

  it('creates a seminar through the form on a phone and shows its overview with the charts drawn', async () => {
    await page.goto(`${t.url}/console/sign-in`);
    await page.getByLabel('이메일 주소').fill(DC);
    await page.getByRole('button', { name: '로그인 링크 받기' }).click();
    await t.mailbox.waitFor(() => t.mailbox.to(DC).length === 1, 'the sign-in mail');
    await page.goto(`${t.url}/console/sign-in/${signInToken(t.mailbox.to(DC)[0].parsed.text)}`);
    await page.getByRole('button', { name: '로그인' }).click();
    await page.waitForURL(`${t.url}/console`);

    await page.goto(`${t.url}/console/events`);
    expect(await fits()).toBe(true);
    await page.getByRole('link', { name: '행사 만들기' }).click();
    await page.waitForURL(`${t.url}/console/events/new`);
    expect(await fits()).toBe(true);
    await page.getByLabel('제목', { exact: true }).fill('메타버스 콘텐츠 기술교류회');
    await page.getByLabel('날짜', { exact: true }).fill('2027-03-10');
    await page.getByLabel('시작 시각', { exact: true }).fill('14:00');
    await page.getByLabel('종료 시각', { exact: true }).fill('16:00');
    await page.getByLabel('장소', { exact: true }).fill('판교 세미나실 A');
    await page.getByLabel('정원', { exact: true }).fill('40');
    await page.locator('#ag-0-start').fill('14:00');
    await page.locator('#ag-0-title').fill('개회사');
    // 행사 추가 without JavaScript: a submit button that brings the form back with one more row, typed values kept.
    await page.getByRole('button', { name: '행 추가' }).click();
    expect(await page.locator('input[name="agendaTitle"]').count()).toBe(3);
    expect(await page.locator('#ag-0-title').inputValue()).toBe('개회사');
    await page.locator('#ag-1-start').fill('14:10');
    await page.locator('#ag-1-title').fill('XR 제작 파이프라인');
    await page.locator('#ag-1-speaker').fill('김민지');
    await snap('event-form-360');
    await page.getByRole('button', { name: '초안으로 저장' }).last().click();
    await page.waitForURL(/\/console\/events\/[0-9a-f-]{36}$/);
    expect(await page.getByRole('status').first().innerText()).toContain('초안으로 저장했습니다');
    const id = /\/console\/events\/([0-9a-f-]{36})$/.exec(page.url())![1];

    // Registrations on two days and from two clusters, for the charts.
    await t.db.query(
      `INSERT INTO registrations (event_id, email, name, cluster_code, status, source, confirmed_at, created_at)
       VALUES ($1, 'a@x.example', 'A', 'DC', 'confirmed', 'public', now(), '2027-03-01T01:00:00Z'),
              ($1, 'b@x.example', 'B', 'ICT', 'confirmed', 'public', now(), '2027-03-02T01:00:00Z')`,
      [id],
    );
    await page.reload();
    await page.locator('#chart-per-day[data-chart-drawn="true"]').waitFor({ timeout: 10_000 });
    await page.locator('#chart-cluster-mix[data-chart-drawn="true"]').waitFor({ timeout: 10_000 });
    // Drawn means pixels: some of the canvas is no longer transparent.
    const painted = await page.evaluate<number>(
      `(() => { const c = document.getElementById('chart-per-day'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()`,
    );
    expect(painted).toBeGreaterThan(100);
    expect(await page.locator('.agenda-title').allInnerTexts()).toEqual(['개회사', 'XR 제작 파이프라인']);
    expect(await fits()).toBe(true);
    await snap('event-overview-360');
    expect(cspViolations).toEqual([]);
  });
});
