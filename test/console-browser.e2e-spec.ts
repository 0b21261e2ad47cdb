import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, recordCspViolations } from './support/browser';
import { signInToken } from './support/console-client';
import { startTestApp, TestApp } from './support/test-app';

const ADMIN = 'federation@park.example';

/**
 * The console in a real headless Chromium, as the federation admin uses it: sign in from the
 * mailed link, add two cluster organizers, make an API token, read the audit log, sign out; and
 * the dashboard on a 360 px phone without horizontal scrolling. Every page is photographed into a
 * folder printed at the start, to look at.
 */
describe('the console in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let shots: string;
  let shot = 0;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    shots = mkdtempSync(join(tmpdir(), 'console-screens-'));
    console.log(`console screenshots: ${shots}`);
    [t, browser] = await Promise.all([startTestApp({ queue: 'postgres', env: { ADMIN_EMAIL: ADMIN } }), launchChromium()]);
    // Something on the dashboard: an integrated seminar ahead and a committee meeting behind.
    const event = (body: object) =>
      fetch(`${t.url}/api/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'seminar', venue: '판교 세미나실 A', ...body }),
      });
    const ahead = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const behind = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const hours = (iso: string, h: number) => new Date(Date.parse(iso) + h * 3_600_000).toISOString();
    for (const answer of await Promise.all([
      event({ title: 'AI × 콘텐츠 융합 세미나', startsAt: ahead, endsAt: hours(ahead, 2), hostClusters: ['ICT', 'DC'] }),
      event({
        title: '합동 운영위원회 정기 회의',
        type: 'committee',
        startsAt: behind,
        endsAt: hours(behind, 1),
        hostClusters: ['ICT', 'IMT', 'DC', 'GREEN_IT'],
      }),
    ]))
      expect(answer.status).toBe(201);
    context = await browser.newContext({ locale: 'ko-KR', viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    // The CSP forbids inline script and style: a page breaking it shows up as a console error.
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

  async function addOrganizer(email: string, name: string, cluster: string): Promise<void> {
    await page.getByLabel('이메일', { exact: true }).fill(email);
    await page.getByLabel('이름 (선택)').fill(name);
    await page.getByLabel('클러스터 운영자').check();
    await page.getByRole('group', { name: '담당 클러스터' }).getByLabel(cluster).check();
    await page.getByRole('button', { name: '운영자 추가' }).click();
    await page.waitForURL(`${t.url}/console/organizers`);
    await expectText(page.getByRole('status'), `운영자 ${email}을(를) 추가했습니다.`);
  }

  it('signs the admin in from the mailed link, adds organizers, makes a token, reads the audit log, signs out', async () => {
    await page.goto(`${t.url}/console`);
    expect(page.url()).toBe(`${t.url}/console/sign-in`);
    await snap('sign-in');
    await page.getByLabel('이메일 주소').fill(ADMIN);
    await page.getByRole('button', { name: '로그인 링크 받기' }).click();
    await page.waitForURL(`${t.url}/console/sign-in/sent`);
    await snap('sign-in-sent');

    await t.mailbox.waitFor(() => t.mailbox.to(ADMIN).length === 1, 'the sign-in mail');
    const token = signInToken(t.mailbox.to(ADMIN)[0].parsed.text);
    await page.goto(`${t.url}/console/sign-in/${token}`);
    await snap('sign-in-link');
    await page.getByRole('button', { name: '로그인' }).click();
    await page.waitForURL(`${t.url}/console`);
    await expectText(page.getByRole('status'), `${ADMIN} 계정으로 로그인했습니다.`);
    await expectText(page.getByRole('heading', { level: 1 }), '대시보드');
    await snap('dashboard');

    await page.getByRole('navigation', { name: '콘솔 메뉴' }).getByRole('link', { name: '운영자' }).click();
    await page.waitForURL(`${t.url}/console/organizers`);
    await snap('organizers');
    // A cluster organizer without a cluster: refused next to the field, what was typed kept.
    await page.getByLabel('이메일', { exact: true }).fill('dc-office@park.example');
    await page.getByLabel('클러스터 운영자').check();
    await page.getByRole('button', { name: '운영자 추가' }).click();
    await expectText(page.locator('#organizer-clusters-error'), '하나 이상');
    expect(await page.getByLabel('이메일', { exact: true }).inputValue()).toBe('dc-office@park.example');
    await snap('organizers-error');
    await addOrganizer('dc-office@park.example', '박서연', '디지털콘텐츠 미니클러스터');
    await addOrganizer('ict-office@park.example', '김민준', 'ICT 미니클러스터');
    const rows = page.locator('table.console-table tbody tr');
    expect(await rows.count()).toBe(3);
    await snap('organizers-added');

    await page.getByRole('navigation', { name: '콘솔 메뉴' }).getByRole('link', { name: 'API 토큰' }).click();
    await page.getByLabel('이름', { exact: true }).fill('회원 동기화 스크립트');
    await page.getByRole('button', { name: '토큰 만들기' }).click();
    await page.waitForURL(`${t.url}/console/tokens`);
    const value = await page.getByLabel('토큰', { exact: true }).inputValue();
    expect(value).toMatch(/^shk_[A-Za-z0-9_-]{43}$/);
    await snap('token-created');
    // The token works for the API, and is never shown again.
    expect((await fetch(`${t.url}/api/organizers`, { headers: { authorization: `Bearer ${value}` } })).status).toBe(200);
    await page.reload();
    expect(await page.content()).not.toContain(value);
    await snap('tokens');

    await page.getByRole('navigation', { name: '콘솔 메뉴' }).getByRole('link', { name: '감사 기록' }).click();
    await page.waitForURL(`${t.url}/console/audit`);
    const log = await page.locator('table.console-table').innerText();
    for (const action of ['sign_in', 'organizer.create', 'token.create']) expect(log).toContain(action);
    expect(log).toContain('dc-office@park.example');
    await snap('audit');
    await page.getByLabel('작업').selectOption('organizer.create');
    await page.getByRole('button', { name: '보기' }).click();
    expect(await page.locator('table.console-table tbody tr').count()).toBe(2);
    await snap('audit-filtered');

    // The language switch keeps the page and is remembered.
    await page.getByRole('link', { name: 'English' }).click();
    await expectText(page.getByRole('heading', { level: 1 }), 'Audit log');
    await page.goto(`${t.url}/console`);
    await expectText(page.getByRole('heading', { level: 1 }), 'Dashboard');
    await snap('dashboard-en');
    await page.getByRole('link', { name: '한국어' }).click();

    // At the door, on a phone: 360 px wide, no horizontal scroll, the menu opens without JavaScript.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${t.url}/console`);
    // The test code has no DOM types: the expression runs in the page.
    const scrollWidth = () => page.evaluate<number>('document.documentElement.scrollWidth');
    expect(await scrollWidth()).toBeLessThanOrEqual(360);
    await snap('dashboard-360');
    await page.getByText('메뉴', { exact: true }).click();
    await snap('dashboard-360-menu');
    for (const path of ['/console/organizers', '/console/tokens', '/console/audit']) {
      await page.goto(`${t.url}${path}`);
      expect({ path, fits: (await scrollWidth()) <= 360 }).toEqual({ path, fits: true });
    }
    await snap('audit-360');
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.goto(`${t.url}/console`);
    await page.getByRole('button', { name: '로그아웃' }).click();
    await page.waitForURL(`${t.url}/console/sign-in`);
    await expectText(page.getByRole('status'), '로그아웃했습니다.');
    await snap('signed-out');
    await page.goto(`${t.url}/console`);
    expect(page.url()).toBe(`${t.url}/console/sign-in`);
    expect(cspViolations).toEqual([]);
  });
});

async function expectText(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
  await locator.first().waitFor({ timeout: 5000 });
  expect(await locator.first().innerText()).toContain(text);
}
