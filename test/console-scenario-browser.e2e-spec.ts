import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, recordCspViolations } from './support/browser';
import { signInToken } from './support/console-client';
import { client } from './support/http';
import { personalLink, waitUntil } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

const ADMIN = 'federation@park.example';
const DC = 'dc-office@park.example';
const ICT = 'ict-office@park.example';
const MEMBER = 'minji@pixel.example';
const TITLE = 'AI × 콘텐츠 융합 세미나';

/**
 * Issue 9's whole story in one real headless Chromium, each person in their own browser: the
 * federation admin signs in from the mailed link and adds a DC and an ICT organizer; the DC
 * organizer creates a seminar co-hosted with ICT; the ICT organizer approves it; the DC organizer
 * publishes it, previews the invitation and sends it; a member opens the invitation, consents and
 * attends; the organizer sees the registration and the chart; door staff check the member in; the
 * admin reads every step in the audit log. Every page is photographed into the printed folder.
 */
describe('an integrated seminar from the console to the door, in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let shots: string;
  let shot = 0;
  const contexts: BrowserContext[] = [];
  const cspViolations: string[] = [];
  let eventId: string;

  beforeAll(async () => {
    shots = mkdtempSync(join(tmpdir(), 'console-scenario-screens-'));
    console.log(`console scenario screenshots: ${shots}`);
    [t, browser] = await Promise.all([startTestApp({ queue: 'postgres', env: { ADMIN_EMAIL: ADMIN } }), launchChromium()]);
    const imported = await client(t.url, t.adminToken).post('/api/members/import', `email,name,company,cluster,locale\n${MEMBER},김민지,픽셀웍스,DC,ko\n`, {
      contentType: 'text/csv',
    });
    expect(imported.body).toMatchObject({ created: 1 });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  /** A person's own browser (cookies apart from everyone else's), in Korean. */
  async function personBrowser(viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await browser.newContext({ locale: 'ko-KR', viewport });
    contexts.push(context);
    const page = await context.newPage();
    recordCspViolations(page, cspViolations);
    return page;
  }

  async function snap(page: Page, name: string): Promise<void> {
    shot += 1;
    await page.screenshot({ path: join(shots, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
  }

  async function signIn(page: Page, email: string): Promise<void> {
    const before = t.mailbox.to(email).length;
    await page.goto(`${t.url}/console/sign-in`);
    await page.getByLabel('이메일 주소').fill(email);
    await page.getByRole('button', { name: '로그인 링크 받기' }).click();
    await t.mailbox.waitFor(() => t.mailbox.to(email).length > before, `the sign-in mail to ${email}`);
    await page.goto(`${t.url}/console/sign-in/${signInToken(t.mailbox.to(email).at(-1)!.parsed.text)}`);
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await page.waitForURL(`${t.url}/console`);
  }

  let admin: Page;
  let dc: Page;

  it('the admin signs in from the mailed link and adds a DC and an ICT organizer', async () => {
    admin = await personBrowser();
    await signIn(admin, ADMIN);
    await snap(admin, 'admin-dashboard');
    for (const [email, cluster] of [
      [DC, 'DC'],
      [ICT, 'ICT'],
    ]) {
      await admin.goto(`${t.url}/console/organizers`);
      await admin.locator('#organizer-email').fill(email);
      await admin.locator(`input[name="clusters"][value="${cluster}"]`).check();
      await admin.getByRole('button', { name: '운영자 추가' }).click();
      await admin.waitForURL(`${t.url}/console/organizers`);
      expect(await admin.getByRole('status').first().innerText()).toContain(email);
    }
    await snap(admin, 'organizers');
  });

  it('the DC organizer creates a seminar co-hosted with ICT, which waits for ICT before it can be published', async () => {
    dc = await personBrowser();
    await signIn(dc, DC);
    await dc.goto(`${t.url}/console/events/new`);
    const day = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await dc.getByLabel('제목', { exact: true }).fill(TITLE);
    await dc.getByLabel('날짜', { exact: true }).fill(day);
    await dc.getByLabel('시작 시각', { exact: true }).fill('14:00');
    await dc.getByLabel('종료 시각', { exact: true }).fill('17:00');
    await dc.getByLabel('장소', { exact: true }).fill('판교 세미나실 A');
    await dc.getByLabel('정원', { exact: true }).fill('50');
    await dc.locator('input[name="coHosts"][value="ICT"]').check();
    await dc.locator('input[name="audience"][value="DC"]').check();
    await dc.locator('input[name="audience"][value="ICT"]').check();
    await dc.locator('#ag-0-start').fill('14:00');
    await dc.locator('#ag-0-title').fill('생성형 AI와 콘텐츠 제작');
    await dc.locator('#ag-0-speaker').fill('이서준');
    await snap(dc, 'event-form');
    await dc.getByRole('button', { name: '초안으로 저장' }).last().click();
    await dc.waitForURL(/\/console\/events\/[0-9a-f-]{36}$/);
    eventId = /\/console\/events\/([0-9a-f-]{36})$/.exec(dc.url())![1];
    expect(await dc.getByRole('button', { name: '게시' }).isDisabled()).toBe(true);
    expect(await dc.getByRole('main').innerText()).toContain('ICT 미니클러스터 (대기)');
    await snap(dc, 'overview-waiting');
    // ICT's organizers were asked by mail.
    await t.mailbox.waitFor(() => t.mailbox.to(ICT).some((mail) => (mail.parsed.text ?? '').includes('/console/approvals')), 'the approval request');
  });

  it('the ICT organizer approves it on 승인 요청', async () => {
    const ict = await personBrowser({ width: 360, height: 740 });
    await signIn(ict, ICT);
    await ict.goto(`${t.url}/console/approvals`);
    expect(await ict.getByRole('main').innerText()).toContain(TITLE);
    expect(await ict.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await snap(ict, 'approvals-360');
    await ict.getByRole('button', { name: '승인', exact: true }).first().click();
    await ict.waitForURL(`${t.url}/console/approvals`);
    await t.mailbox.waitFor(() => t.mailbox.to(DC).length >= 2, 'the answer to the proposer');
  });

  it('the DC organizer publishes, previews the invitation in both languages and sends it', async () => {
    await dc.goto(`${t.url}/console/events/${eventId}`);
    await dc.getByRole('button', { name: '게시' }).click();
    await dc.waitForURL(`${t.url}/console/events/${eventId}`);
    await dc.goto(`${t.url}/console/events/${eventId}/invitations`);
    expect(await dc.locator('#plan-invited').innerText()).toBe('1');
    await dc.frameLocator('iframe[title="한국어 메일"]').getByText('참석하기').first().waitFor({ timeout: 10_000 });
    expect(await dc.frameLocator('iframe[title="영어 메일"]').locator('body').innerText()).toContain(TITLE);
    await snap(dc, 'invitations');
    await dc.getByRole('button', { name: '초대장 발송' }).click();
    await dc.waitForURL(`${t.url}/console/events/${eventId}/invitations`);
    await t.mailbox.waitFor(() => t.mailbox.to(MEMBER).length === 1, 'the invitation');
  });

  let code: string;

  it('the member opens the invitation, gives consent and attends', async () => {
    const member = await personBrowser({ width: 360, height: 740 });
    await member.goto(personalLink(t.mailbox.to(MEMBER)[0], t.url));
    expect(await member.getByRole('main').innerText()).toContain('[필수] 개인정보 수집·이용 동의');
    await member.locator('#consent-collection').check();
    await snap(member, 'invitation-page-360');
    await member.getByRole('button', { name: '참석하기' }).click();
    expect(await member.getByRole('main').innerText()).toContain('등록이 완료되었습니다');
    await snap(member, 'attending-360');
    await t.mailbox.waitFor(() => t.mailbox.to(MEMBER).length === 2, 'the confirmation');
    code = /([0-9A-Z]{4}-[0-9A-Z]{4})/.exec(t.mailbox.to(MEMBER)[1].parsed.text ?? '')![1];
  });

  it('the organizer sees the registration and the chart', async () => {
    await dc.goto(`${t.url}/console/events/${eventId}/registrations`);
    expect(await dc.getByRole('main').innerText()).toContain(MEMBER);
    await snap(dc, 'registrations');
    await dc.goto(`${t.url}/console/events/${eventId}`);
    await dc.locator('#chart-cluster-mix[data-chart-drawn="true"]').waitFor({ timeout: 10_000 });
    await snap(dc, 'overview-with-chart');
  });

  it('door staff check the member in from a door link on a phone', async () => {
    await dc.goto(`${t.url}/console/events/${eventId}/door`);
    await dc.getByLabel('담당자 이름').fill('접수 데스크');
    await dc.getByRole('button', { name: '링크 만들기' }).click();
    const link = await dc.locator('#door-fresh-link').inputValue();
    const door = await personBrowser({ width: 360, height: 740 });
    await door.goto(link);
    await door.getByRole('button', { name: '출석 체크 시작' }).click();
    await door.waitForURL(`${t.url}/console/events/${eventId}/door`);
    await door.getByLabel('입장 코드 (QR 스캔 또는 입력)').fill(code);
    await door.getByRole('button', { name: '입장 확인' }).click();
    await door.waitForURL(`${t.url}/console/events/${eventId}/door`);
    expect(await door.getByRole('status').innerText()).toContain('김민지');
    await snap(door, 'door-checked-in-360');
    await waitUntil(
      async () => (await t.db.query(`SELECT checked_in_at FROM registrations WHERE email = $1`, [MEMBER])).rows[0].checked_in_at !== null,
      'the check-in',
    );
    // The overview's funnel follows the member from the invitation to the door: DC 1 · 1 · 1 · 1.
    await dc.goto(`${t.url}/console/events/${eventId}`);
    const funnel = await dc.locator('section[aria-labelledby="ev-funnel-heading"] tbody tr').allInnerTexts();
    expect(funnel.map((row) => row.split('\t').map((cell) => cell.trim()))).toContainEqual(['디지털콘텐츠 미니클러스터', '1', '1', '1', '1']);
    await snap(dc, 'overview-funnel');
  });

  it('the admin reads each step in the audit log, and no page broke the Content-Security-Policy', async () => {
    await admin.goto(`${t.url}/console/audit`);
    const log = await admin.getByRole('main').innerText();
    for (const action of ['organizer.create', 'event.create', 'event.approve', 'event.publish', 'invitations.send', 'door.check_in'])
      expect(log).toContain(action);
    await snap(admin, 'audit');
    expect(cspViolations).toEqual([]);
  });
});
