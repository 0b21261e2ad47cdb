import { resolve } from 'node:path';
import type { AppConfig } from '../../config/app-config';
import { LOCALES } from '../../common/templates/locales';
import { TemplateRenderer } from '../../common/templates/template-renderer.service';
import { MAIL_KINDS } from '../outbox/outbox-message.entity';
import { PersonalValues, RenderedMailCache } from './rendered-mail-cache';

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
const shared = {
  event,
  eventPageUrl: 'https://hub.example/events/1',
  calendarUrl: 'https://hub.example/api/events/1/calendar.ics',
  googleCalendarUrl: 'https://calendar.google.com/calendar/render?action=TEMPLATE&text=x',
  outlookCalendarUrl: 'https://outlook.live.com/calendar/0/action/compose?subject=x',
  checkInQrCid: 'check-in-qr@seminarhub',
};

/** Recipients whose values Handlebars must escape in HTML and leave alone in text. */
const recipients: PersonalValues[] = [
  { recipientName: `O'Brien & "Sons" <b>bold</b> = \`x\``, actionUrl: 'https://hub.example/r/A?x=1&y=<2>', unsubscribeUrl: 'https://hub.example/u/U&1' },
  { recipientName: '김민지', actionUrl: 'https://hub.example/r/ABC', manageUrl: 'https://hub.example/r/M', unsubscribeUrl: 'https://hub.example/u/K' },
  { recipientName: '첫째 줄\n둘째 줄 <br>', actionUrl: 'https://hub.example/r/N', checkInCode: '7KQM-2XWD', manageUrl: 'https://hub.example/r/Q' },
  { recipientName: null, actionUrl: 'https://hub.example/r/NONAME', unsubscribeUrl: 'https://hub.example/u/Z' },
  { recipientName: '', manageUrl: 'https://hub.example/r/EMPTY', checkInCode: 'AAAA-BBBB' },
];

describe('RenderedMailCache: one render per event, language and kind, each recipient spliced in', () => {
  let templates: TemplateRenderer;

  beforeAll(async () => {
    templates = new TemplateRenderer({ templatesDir: resolve(__dirname, '../../../templates') } as AppConfig);
    await templates.onModuleInit();
  });

  describe.each(LOCALES)('in %s', (locale) => {
    it.each(MAIL_KINDS.filter((kind) => kind !== 'sign_in'))('%s: every recipient gets exactly the mail a full render gives', async (kind) => {
      const cache = new RenderedMailCache(templates);
      for (const personal of recipients) {
        const spliced = await cache.render(`e1/${locale}/${kind}`, 'v1', { locale, kind, shared, personal });
        expect(spliced).toEqual(templates.renderMail(locale, kind, { ...shared, ...personal }));
      }
    });
  });

  it('renders the templates once per key and version (and once more to check the first splice), not once per mail', async () => {
    const cache = new RenderedMailCache(templates);
    const render = jest.spyOn(templates, 'renderMail');
    try {
      for (let i = 0; i < 50; i++) {
        const personal = { recipientName: `참가자 ${i} <${i}>`, actionUrl: `https://hub.example/r/${i}`, unsubscribeUrl: `https://hub.example/u/${i}` };
        const mail = await cache.render('e1/ko/invitation', 'v1', { locale: 'ko', kind: 'invitation', shared, personal });
        expect(mail.html).toContain(`참가자 ${i} &lt;${i}&gt;`);
        expect(mail.text).toContain(`참가자 ${i} <${i}>`);
        expect(mail.html).toContain(`href="https://hub.example/r/${i}"`);
      }
      expect(render).toHaveBeenCalledTimes(2);
      // A new version of the event (it changed): rendered again.
      await cache.render('e1/ko/invitation', 'v2', {
        locale: 'ko',
        kind: 'invitation',
        shared,
        personal: { recipientName: 'x', actionUrl: 'y', unsubscribeUrl: 'z' },
      });
      expect(render).toHaveBeenCalledTimes(4);
    } finally {
      render.mockRestore();
    }
  });

  it.each([
    ['its description', { description: 'Text \u0000recipientName&\u0000 end' }],
    ['its title, in the subject', { title: 'Title \u0000actionUrl&\u0000' }],
  ])('renders every mail whole when a splice would not give the full render (the event holds a marker in %s)', async (_, change) => {
    const cache = new RenderedMailCache(templates);
    const tricky = { ...shared, event: { ...event, ...change } };
    for (const personal of recipients.slice(0, 3)) {
      const mail = await cache.render('e2/en/invitation', 'v1', { locale: 'en', kind: 'invitation', shared: tricky, personal });
      expect(mail).toEqual(templates.renderMail('en', 'invitation', { ...tricky, ...personal }));
    }
  });
});
