import { Inject, Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { Locale, LOCALES } from './locales';
import { loadStringTables, StringTable } from './string-table';
import { expandPartials, Flavour, localize, partialFiles, trimFinalNewline } from './template-source';

/**
 * Renders the templates under TEMPLATES_DIR:
 *
 * - `locales/<locale>.json`: every word, one string table per language;
 * - `pages/layout.hbs` around `pages/<name>.hbs`, with `pages/partials/*.hbs`, compiled when
 *   the app starts for every language (a broken template stops the start, not a request);
 * - mail from `<locale>/mail/<name>.hbs`, compiled on first use.
 */
@Injectable()
export class TemplateRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly tables: Map<Locale, StringTable>;
  private readonly pages = new Map<string, Handlebars.TemplateDelegate>();
  private readonly cache = new Map<string, Handlebars.TemplateDelegate>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    // `{{#if (eq a b)}}` in templates.
    this.handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.tables = loadStringTables(this.dir);
    this.compilePages();
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

  /** A mail part from `<locale>/mail/<name>.hbs`. */
  render(locale: Locale, name: string, context: object, flavour: Flavour = 'html'): string {
    const key = `${flavour}:${locale}/${name}`;
    let compiled = this.cache.get(key);
    if (!compiled) {
      const path = join(this.dir, locale, `${name}.hbs`);
      if (!existsSync(path)) throw new Error(`Template missing: ${path}`);
      compiled = this.handlebars.compile(readFileSync(path, 'utf8'), { noEscape: flavour === 'text', strict: false });
      this.cache.set(key, compiled);
    }
    return compiled(context);
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
