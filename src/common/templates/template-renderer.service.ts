import { Inject, Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import type { Locale } from './locales';
import { loadStringTables, StringTable } from './string-table';

/** html escapes every {{value}}; text does not (plain-text mail bodies and subjects). */
export type TemplateFlavour = 'html' | 'text';

/**
 * Renders the Handlebars templates under TEMPLATES_DIR/<locale>/<name>.hbs, and holds the string
 * tables (TEMPLATES_DIR/locales/<locale>.json) for the words code puts into them.
 * Compiled templates are cached for the life of the process.
 */
@Injectable()
export class TemplateRenderer {
  private readonly cache = new Map<string, Handlebars.TemplateDelegate>();
  private readonly handlebars = Handlebars.create();
  private readonly tables: Map<Locale, StringTable>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    // `{{#if (eq a b)}}` in templates.
    this.handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.tables = loadStringTables(config.templatesDir);
  }

  /** One language's strings, for what code puts into a page or mail (labels, titles, dates). */
  strings(locale: Locale): StringTable {
    const table = this.tables.get(locale);
    if (!table) throw new Error(`no string table for locale ${locale}`);
    return table;
  }

  render(locale: Locale, name: string, context: object, flavour: TemplateFlavour = 'html'): string {
    return this.template(locale, name, flavour)(context);
  }

  /** A page: the named template rendered inside the locale's `pages/layout.hbs`. */
  renderPage(locale: Locale, name: string, context: { title: string; [field: string]: unknown }): string {
    const body = this.render(locale, `pages/${name}`, { ...context, lang: locale });
    return this.render(locale, 'pages/layout', { ...context, lang: locale, body });
  }

  private template(locale: Locale, name: string, flavour: TemplateFlavour): Handlebars.TemplateDelegate {
    const key = `${flavour}:${locale}/${name}`;
    let compiled = this.cache.get(key);
    if (!compiled) {
      const path = join(this.config.templatesDir, locale, `${name}.hbs`);
      if (!existsSync(path)) throw new Error(`Template missing: ${path}`);
      compiled = this.handlebars.compile(readFileSync(path, 'utf8'), { noEscape: flavour === 'text', strict: false });
      this.cache.set(key, compiled);
    }
    return compiled;
  }
}
