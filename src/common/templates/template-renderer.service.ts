import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { Locale, LOCALES } from './locales';
import { compileMjml } from './mjml-compiler';
import { loadStringTables, StringTable } from './string-table';
import { expandPartials, Flavour, localize, partialFiles, trimFinalNewline } from './template-source';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

interface MailTemplates {
  subject: Handlebars.TemplateDelegate;
  text: Handlebars.TemplateDelegate;
  html: Handlebars.TemplateDelegate;
}

/**
 * Renders the templates under TEMPLATES_DIR:
 *
 * - `locales/<locale>.json`: every word, one string table per language;
 * - `pages/layout.hbs` around `pages/<name>.hbs`, with `pages/partials/*.hbs`;
 * - `mail/layout.mjml` around `mail/<kind>.mjml` (HTML, through MJML), `mail/layout.txt.hbs`
 *   around `mail/<kind>.txt.hbs` (plain text), with `mail/partials/`; the subject is the
 *   string `mail.<kind>.subject`.
 *
 * Everything is compiled when the app starts, for every language (a broken template stops the
 * start, not a mail): a mail or a page is then one call of a compiled Handlebars function.
 */
@Injectable()
export class TemplateRenderer implements OnModuleInit {
  private readonly handlebars = Handlebars.create();
  private readonly tables: Map<Locale, StringTable>;
  private readonly pages = new Map<string, Handlebars.TemplateDelegate>();
  private readonly mails = new Map<string, MailTemplates>();
  private mailKinds: string[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    // `{{#if (eq a b)}}`, `{{#if (or a b)}}`.
    this.handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.handlebars.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
    // Data for a page's script (charts) in a `<script type="application/json">` block, which the CSP
    // lets through as data: `<` escaped so no value can close the block.
    this.handlebars.registerHelper('json', (value: unknown) => new Handlebars.SafeString(JSON.stringify(value ?? null).replace(/</g, '\\u003c')));
    // Multi-line text in mail HTML: Outlook's Word engine ignores `white-space: pre-line`.
    this.handlebars.registerHelper('lines', (text: unknown) =>
      new Handlebars.SafeString(Handlebars.Utils.escapeExpression(typeof text === 'string' ? text : '').replace(/\r?\n/g, '<br>\n')),
    );
    this.tables = loadStringTables(this.dir);
    this.compilePages();
  }

  async onModuleInit(): Promise<void> {
    await this.compileMail();
  }

  /** One language's strings, for what code puts into a page or mail (labels, titles, dates). */
  strings(locale: Locale): StringTable {
    const table = this.tables.get(locale);
    if (!table) throw new Error(`no string table for locale ${locale}`);
    return table;
  }

  /** A page: `pages/<name>.hbs` inside the layout, in the language given. */
  renderPage(locale: Locale, name: string, context: { title: string; [field: string]: unknown }): string {
    const page = this.pages.get(`${locale}/${name}`);
    if (!page) throw new Error(`Template missing: ${join(this.dir, 'pages', `${name}.hbs`)}`);
    return page({ ...context, lang: locale });
  }

  /** A mail's subject (one line), plain text and HTML, in the language given. */
  renderMail(locale: Locale, kind: string, context: object): RenderedMail {
    const mail = this.mails.get(`${locale}/${kind}`);
    if (!mail) throw new Error(this.mailKinds.length === 0 ? 'mail templates are compiled when the app starts (onModuleInit)' : `Template missing: ${join(this.dir, 'mail', `${kind}.mjml`)}`);
    const subject = mail.subject(context).replace(/[\r\n]+/g, ' ').trim();
    const full = { ...context, lang: locale, subject };
    return { subject, text: mail.text(full), html: mail.html(full) };
  }

  /** The kinds of mail there are templates for (`mail/<kind>.mjml`). */
  kinds(): readonly string[] {
    return this.mailKinds;
  }

  private get dir(): string {
    return this.config.templatesDir;
  }

  private compilePages(): void {
    const dir = join(this.dir, 'pages');
    const layout = read(join(dir, 'layout.hbs'));
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.hbs') && name !== 'layout.hbs')) {
      const name = file.slice(0, -'.hbs'.length);
      const source = expandPartials(layout, partialFiles(join(dir, 'partials'), '.hbs', read(join(dir, file))));
      for (const locale of LOCALES) this.pages.set(`${locale}/${name}`, this.compile(localize(source, this.strings(locale), 'html'), 'html', `pages/${file}`));
    }
  }

  private async compileMail(): Promise<void> {
    const dir = join(this.dir, 'mail');
    const partials = join(dir, 'partials');
    const htmlLayout = read(join(dir, 'layout.mjml'));
    const textLayout = read(join(dir, 'layout.txt.hbs'));
    const kinds = readdirSync(dir)
      .filter((name) => name.endsWith('.mjml') && name !== 'layout.mjml')
      .map((name) => name.slice(0, -'.mjml'.length));
    await Promise.all(
      kinds.map(async (kind) => {
        const textFile = join(dir, `${kind}.txt.hbs`);
        if (!existsSync(textFile)) throw new Error(`Templates: ${join(dir, `${kind}.mjml`)} has no plain-text part ${textFile}`);
        const mjml = expandPartials(htmlLayout, partialFiles(partials, '.mjml', read(join(dir, `${kind}.mjml`))));
        const text = expandPartials(textLayout, partialFiles(partials, '.txt.hbs', read(textFile)));
        // MJML once per kind: the strings go in after it, per language.
        const html = await compileMjml(mjml, join(dir, `${kind}.mjml`));
        for (const locale of LOCALES) {
          const strings = this.strings(locale);
          this.mails.set(`${locale}/${kind}`, {
            subject: this.compile(localize(`{{t '.subject'}}`, strings, 'text', kind), 'text', `mail.${kind}.subject`),
            text: this.compile(localize(text, strings, 'text', kind), 'text', `mail/${kind}.txt.hbs`),
            html: this.compile(localize(html, strings, 'html', kind), 'html', `mail/${kind}.mjml`),
          });
        }
      }),
    );
    this.mailKinds = kinds;
  }

  /** Compiles now (Handlebars would on first use), so a template error stops the start. */
  private compile(source: string, flavour: Flavour, name: string): Handlebars.TemplateDelegate {
    try {
      const template = this.handlebars.compile(source, { noEscape: flavour === 'text', strict: false });
      template({});
      return template;
    } catch (error) {
      throw new Error(`Templates: ${name}: ${(error as Error).message}`);
    }
  }
}

function read(path: string): string {
  if (!existsSync(path)) throw new Error(`Template missing: ${path}`);
  return trimFinalNewline(readFileSync(path, 'utf8'));
}
