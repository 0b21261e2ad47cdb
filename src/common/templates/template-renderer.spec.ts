import { resolve } from 'node:path';
import type { AppConfig } from '../../config/app-config';
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
describe('TemplateRenderer', () => {
  let renderer: TemplateRenderer;

  beforeAll(() => {
    renderer = new TemplateRenderer({ templatesDir: TEMPLATES } as AppConfig);
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

  it('gives the door script its words as JSON that cannot close the script element', () => {
    const html = renderer.renderPage('en', 'door', { title: 'Check-in', eventId: event.id });
    const json = /<script type="application\/json" id="door-texts">(.*?)<\/script>/s.exec(html)![1];
    expect(JSON.parse(json)).toMatchObject({ clockLocale: 'en-GB', noEvent: 'Event not found.' });
  });

  it('puts several error messages on the error page, each escaped', () => {
    const html = renderer.renderPage('ko', 'error', { title: 'x', messages: ['email must be an email', '<b>'] });
    expect(html).toContain('<p>email must be an email</p><p>&lt;b&gt;</p>');
    expect(html).toContain('행사 목록으로 돌아가기');
  });
});
