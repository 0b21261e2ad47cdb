import { resolve } from 'node:path';
import type { AppConfig } from '../../config/app-config';
import { MAIL_KINDS } from '../../notifications/outbox/outbox-message.entity';
import { LOCALES } from './locales';
import { TemplateRenderer } from './template-renderer.service';

const TEMPLATES = resolve(__dirname, '../../../templates');

const event = {
  id: '6f1c2b8e-0000-4000-8000-000000000001',
  title: 'AI × 콘텐츠 <융합> & "세미나"',
  description: 'line one\nline <two>',
  typeLabel: '세미나',
  when: '2027년 3월 10일 (수) 오후 2:00 – 오후 4:00 (Asia/Seoul)',
  timezone: 'Asia/Seoul',
  venue: '판교 세미나실 A',
  onlineUrl: 'https://meet.example.com/a?b=1&c=2',
  hostNames: 'ICT · DC',
  status: 'published',
  seatsLeft: 3,
};
const everything = {
  recipientName: '김민지 <script>',
  event,
  eventPageUrl: 'https://hub.example/events/1',
  calendarUrl: 'https://hub.example/api/events/1/calendar.ics',
  actionUrl: 'https://hub.example/r/ACTION',
  manageUrl: 'https://hub.example/r/MANAGE',
  googleCalendarUrl: 'https://calendar.google.com/calendar/render?action=TEMPLATE&text=x',
  outlookCalendarUrl: 'https://outlook.live.com/calendar/0/action/compose?subject=x',
  unsubscribeUrl: 'https://hub.example/u/UNSUB',
  checkInCode: '7KQM-2XWD',
  checkInQrCid: 'check-in-qr@seminarhub',
  position: 3,
  changes: [{ label: 'When', from: 'before <b>', to: 'after' }],
  reason: 'Speaker ill',
  startsIn: 'in 2 hours',
};

describe('TemplateRenderer', () => {
  let renderer: TemplateRenderer;

  beforeAll(async () => {
    renderer = new TemplateRenderer({ templatesDir: TEMPLATES } as AppConfig);
    await renderer.onModuleInit();
  });

  it('has a mail template for every kind the outbox sends, and no other', () => {
    expect([...renderer.kinds()].sort()).toEqual([...MAIL_KINDS].sort());
  });

  describe.each(LOCALES)('mail in %s', (locale) => {
    it.each(MAIL_KINDS.filter((kind) => kind !== 'sign_in'))('%s: a one-line subject, text without markup, HTML with every value escaped and no string left unfilled', (kind) => {
      const mail = renderer.renderMail(locale, kind, everything);
      expect(mail.subject).toContain(event.title);
      expect(mail.subject).not.toMatch(/[\r\n]/);
      expect(mail.text).toContain(event.title);
      expect(mail.text).not.toMatch(/<\/?(strong|br|p|a)\b/);
      expect(mail.html).toContain(`<html lang="${locale}"`);
      expect(mail.html).toContain('AI × 콘텐츠 &lt;융합&gt; &amp; &quot;세미나&quot;');
      expect(mail.html).not.toContain('<script>');
      expect(mail.html).toContain('line one<br>');
      for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(/\{\{|\}\}/);
    });
  });

  it.each(LOCALES)('sign_in (%s): the link, how long it works, and no event', (locale) => {
    const mail = renderer.renderMail(locale, 'sign_in', { recipientName: '박서연 <b>', actionUrl: 'https://hub.example/console/sign-in/TOKEN', minutes: 30 });
    expect(mail.subject).not.toMatch(/[\r\n]/);
    for (const part of [mail.text, mail.html]) expect(part).toContain('https://hub.example/console/sign-in/TOKEN');
    expect(mail.text).toContain('30');
    expect(mail.html).toContain('박서연 &lt;b&gt;');
    expect(mail.html).not.toContain('Seminar Hub · ');
    for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(/\{\{|\}\}/);
  });

  it('writes mail HTML as tables with inline styles, as Outlook and webmail need, with no style-less <div> boxes', () => {
    const html = renderer.renderMail('ko', 'invitation', everything).html;
    expect(html).toContain('<!--[if mso | IE]>');
    expect(html).toMatch(/<table[^>]+role="presentation"/);
    expect(html).toContain(`href="${everything.actionUrl}"`);
    expect(html).not.toContain('max-width:600px;margin:0 auto;padding:24px 12px');
  });

  it('renders a mail in well under a millisecond: everything the same for every recipient is compiled once', () => {
    for (let i = 0; i < 200; i++) renderer.renderMail('ko', 'registration_confirmed', everything);
    const start = process.cpuUsage();
    const runs = 1000;
    for (let i = 0; i < runs; i++) renderer.renderMail(i % 2 ? 'ko' : 'en', 'registration_confirmed', everything);
    const used = process.cpuUsage(start);
    expect((used.user + used.system) / runs / 1000).toBeLessThan(0.5);
  });

  describe.each(LOCALES)('pages in %s', (locale) => {
    const pages: [string, Record<string, unknown>][] = [
      ['event', { event, registrationOpen: true, form: {}, message: 'hi' }],
      ['event-list', { events: [{ ...event, url: '/events/1' }], clusters: [{ code: 'ICT', name: 'ICT', selected: true }], selectedCluster: 'ICT' }],
      ['link-action', { event, state: 'ready', formAction: '/r/x', actionLabel: 'Go', explanation: 'Why' }],
      ['registration-received', { event, email: 'a@b.example' }],
      ['unsubscribe', { state: 'ready', email: 'a@b.example', formAction: '/u/x' }],
      ['door', { eventId: event.id }],
      ['error', { messages: ['one <b>', 'two'], correlationId: 'abc' }],
    ];
    it.each(pages)('%s: in the layout, escaped, with no inline style or script (the CSP forbids them)', (name, context) => {
      const html = renderer.renderPage(locale, name, { title: 'T <t>', ...context });
      expect(html).toMatch(/^<!doctype html>\n<html lang="[a-z]+">/);
      expect(html).toContain(`<html lang="${locale}">`);
      expect(html).toContain('<title>T &lt;t&gt; · Seminar Hub</title>');
      expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
      for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/ src="\/assets\/|type="application\/json"/);
      expect(html).not.toContain('{{');
    });
  });

  it('renders the door page as a form that works without its script, which only adds the camera scanner', () => {
    const html = renderer.renderPage('en', 'door', { title: 'Check-in', event: { id: event.id, title: 'Forum', when: 'today' }, organizer: false });
    expect(html).toContain(`<form method="post" action="/console/events/${event.id}/door"`);
    expect(html).toMatch(/<label for="door-code">Check-in code \(scan the QR code or type it\)<\/label>/);
    expect(html).toMatch(/<button type="button" class="door-button button-secondary" id="door-scan" hidden>/);
    expect(html).toContain('<script src="/assets/door.js" defer></script>');
    expect(html).not.toContain('door-link-label');
  });

  it('puts several error messages on the error page, each escaped', () => {
    const html = renderer.renderPage('ko', 'error', { title: 'x', messages: ['email must be an email', '<b>'] });
    expect(html).toContain('<p>email must be an email</p><p>&lt;b&gt;</p>');
    expect(html).toContain('행사 목록으로 돌아가기');
  });
});
