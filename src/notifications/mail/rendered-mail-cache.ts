import { Logger } from '@nestjs/common';
import Handlebars from 'handlebars';
import type { Locale } from '../../common/templates/locales';
import type { RenderedMail, TemplateRenderer } from '../../common/templates/template-renderer.service';
import { VersionedCache } from './versioned-cache';

/** What differs from one recipient of a mail to the next; the rest of its context is the event's and the kind's. */
export const PERSONAL_FIELDS = ['recipientName', 'actionUrl', 'manageUrl', 'unsubscribeUrl', 'checkInCode'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];
export type PersonalValues = Partial<Record<PersonalField, string | null>>;

/**
 * A personal field as the template sees it while the shared render is made: `&` is what
 * Handlebars escapes in HTML (`&amp;`), so each place the marker lands says whether the template
 * escaped the value there (`{{x}}` in HTML) or not (plain text, `{{{x}}}`, a subject).
 */
const marker = (field: PersonalField) => `\u0000${field}&\u0000`;
const MARKERS = new RegExp(`\u0000(${PERSONAL_FIELDS.join('|')})(&amp;|&)\u0000`, 'g');

/** A rendered body cut at the personal fields: literals[0], slot 0, literals[1], …, literals[n]. */
interface Cut {
  literals: string[];
  slots: { field: PersonalField; escaped: boolean }[];
}

interface SharedRender {
  subject: string;
  text: Cut;
  html: Cut;
  /** unchecked: the first splice is compared with a full render; refused: it differed (or a subject is personal), so every mail is rendered whole. */
  state: 'unchecked' | 'checked' | 'refused';
}

/**
 * The mail templates rendered once per event version, language, kind and what the kind's context
 * says (the caller's key), with markers where the personal fields go; each recipient's mail is then
 * those texts with their values spliced in, escaped exactly where Handlebars would have escaped
 * them. A 10,000-invitation fan-out renders its 24 KB HTML once per language instead of 10,000
 * times. Which personal fields are present (a mail without a name greets differently) is part of
 * the key. The first splice of each render is checked against a full render, so a template that
 * uses a personal value other than by printing it (a helper, a comparison) is rendered whole.
 */
export class RenderedMailCache {
  private readonly logger = new Logger(RenderedMailCache.name);
  /** 24–30 KB a render; far more event, language and kind combinations than any worker sends at once. */
  private readonly renders = new VersionedCache<SharedRender>(200, 60_000);

  constructor(private readonly templates: TemplateRenderer) {}

  async render(
    key: string,
    version: string,
    mail: { locale: Locale; kind: string; shared: Record<string, unknown>; personal: PersonalValues },
  ): Promise<RenderedMail> {
    const { locale, kind, shared, personal } = mail;
    const present = PERSONAL_FIELDS.map((field) => (personal[field] ? '1' : '0')).join('');
    const render = await this.renders.get(`${key}/${present}`, version, () => Promise.resolve(this.sharedRender(mail)));
    const whole = () => this.templates.renderMail(locale, kind, { ...shared, ...personal });
    if (render.state === 'refused') return whole();
    const spliced = { subject: render.subject, text: splice(render.text, personal), html: splice(render.html, personal) };
    if (render.state === 'unchecked') {
      const expected = whole();
      if (expected.subject !== spliced.subject || expected.text !== spliced.text || expected.html !== spliced.html) {
        render.state = 'refused';
        this.logger.warn(`mail ${kind} (${locale}): a spliced mail differs from the full render; its mails are rendered whole`);
        return expected;
      }
      render.state = 'checked';
    }
    return spliced;
  }

  private sharedRender(mail: { locale: Locale; kind: string; shared: Record<string, unknown>; personal: PersonalValues }): SharedRender {
    const markers: Record<string, unknown> = {};
    for (const field of PERSONAL_FIELDS) if (field in mail.personal) markers[field] = mail.personal[field] ? marker(field) : mail.personal[field];
    const { subject, text, html } = this.templates.renderMail(mail.locale, mail.kind, { ...mail.shared, ...markers });
    return { subject, text: cut(text), html: cut(html), state: subject.includes('\u0000') ? 'refused' : 'unchecked' };
  }
}

function cut(rendered: string): Cut {
  const literals: string[] = [];
  const slots: Cut['slots'] = [];
  let from = 0;
  for (const match of rendered.matchAll(MARKERS)) {
    literals.push(rendered.slice(from, match.index));
    slots.push({ field: match[1] as PersonalField, escaped: match[2] === '&amp;' });
    from = match.index + match[0].length;
  }
  literals.push(rendered.slice(from));
  return { literals, slots };
}

/** The rendered body with the recipient's values: HTML-escaped as Handlebars' `{{x}}` does, or as they are. */
function splice(rendered: Cut, personal: PersonalValues): string {
  let out = rendered.literals[0];
  for (let i = 0; i < rendered.slots.length; i++) {
    const { field, escaped } = rendered.slots[i];
    const value = personal[field] ?? '';
    out += (escaped ? Handlebars.Utils.escapeExpression(value) : value) + rendered.literals[i + 1];
  }
  return out;
}
