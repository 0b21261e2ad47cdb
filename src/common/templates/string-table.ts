import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LOCALE, isLocale, Locale, LOCALES } from './locales';

type Entry = string | string[];

/** The words of dates in one language, from the table's `date` section. */
export interface DateWords {
  weekdays: string[];
  months: string[];
  am: string;
  pm: string;
  /** `{{year}} {{month}} {{monthName}} {{day}} {{weekday}} {{time}}` */
  dateTime: Handlebars.TemplateDelegate;
  /** `{{hour}} {{hour2}} {{hour12}} {{minute}} {{period}}` */
  time: Handlebars.TemplateDelegate;
  /** `{{start}} {{end}} {{zone}}` */
  range: Handlebars.TemplateDelegate;
}

// Strings are data, not markup: filled with noEscape, and escaped where they land (a template's {{value}}).
const strings = Handlebars.create();

/**
 * One language's strings: templates/locales/<locale>.json, nested objects read as dotted keys
 * (`mail.invitation.subject`). A string may hold Handlebars placeholders (`{{event.title}}`) and, in
 * the HTML of mail and pages, <strong> and <br>; templates take them in when they are compiled, code
 * fills them with text().
 */
export class StringTable {
  readonly date: DateWords;
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();
  private readonly plurals: Intl.PluralRules;

  constructor(
    readonly locale: Locale,
    private readonly tree: Record<string, unknown>,
    private readonly entries: Map<string, Entry>,
  ) {
    this.plurals = new Intl.PluralRules(locale);
    this.date = {
      weekdays: this.list('date.weekdays'),
      months: this.list('date.months'),
      am: this.raw('date.am'),
      pm: this.raw('date.pm'),
      dateTime: this.template('date.dateTime'),
      time: this.template('date.time'),
      range: this.template('date.range'),
    };
  }

  has(key: string): boolean {
    return typeof this.entries.get(key) === 'string';
  }

  /** The string as written in the table, placeholders and all. */
  raw(key: string): string {
    const entry = this.entries.get(key);
    if (typeof entry !== 'string') throw new Error(`templates/locales/${this.locale}.json has no string ${key}`);
    return entry;
  }

  /** The string with its placeholders filled: text('pages.link.positionNote', { position: 2 }). */
  text(key: string, values: object = {}): string {
    return this.template(key)(values);
  }

  /** A string chosen by count (Intl plural rules: `.one`, `.other`, …; `.other` when the form is missing). */
  count(key: string, count: number, values: object = {}): string {
    const form = `${key}.${this.plurals.select(count)}`;
    return this.text(this.has(form) ? form : `${key}.other`, { count, ...values });
  }

  list(key: string): string[] {
    const entry = this.entries.get(key);
    if (!Array.isArray(entry)) throw new Error(`templates/locales/${this.locale}.json has no list ${key}`);
    return entry;
  }

  /** A whole section as it is in the file (the door page's script texts). */
  section(key: string): unknown {
    let node: unknown = this.tree;
    for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
    if (node === undefined) throw new Error(`templates/locales/${this.locale}.json has no section ${key}`);
    return node;
  }

  private template(key: string): Handlebars.TemplateDelegate {
    let template = this.compiled.get(key);
    if (!template) {
      template = strings.compile(this.raw(key), { noEscape: true, strict: false });
      this.compiled.set(key, template);
    }
    return template;
  }
}

/**
 * Reads templates/locales/*.json: one table for each of LOCALES, with the same keys as the default
 * language's, so no mail goes out half in another language. Throws, naming the file and the
 * keys, when a table is missing, incomplete or not in LOCALES.
 */
export function loadStringTables(templatesDir: string): Map<Locale, StringTable> {
  const dir = join(templatesDir, 'locales');
  if (!existsSync(dir)) throw new Error(`Templates: no string tables in ${dir}`);
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const code = file.slice(0, -'.json'.length);
    if (!isLocale(code)) throw new Error(`Templates: ${join(dir, file)} is not a language of LOCALES (src/common/templates/locales.ts): add '${code}' there`);
  }
  const read = (locale: Locale) => {
    const path = join(dir, `${locale}.json`);
    if (!existsSync(path)) throw new Error(`Templates: ${path} is missing; every language of LOCALES needs its string table`);
    let tree: unknown;
    try {
      tree = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`Templates: ${path} is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) throw new Error(`Templates: ${path} must hold one JSON object`);
    return { path, tree: tree as Record<string, unknown>, entries: flatten(path, tree as Record<string, unknown>) };
  };
  const reference = read(DEFAULT_LOCALE);
  const tables = new Map<Locale, StringTable>();
  for (const locale of LOCALES) {
    const table = locale === DEFAULT_LOCALE ? reference : read(locale);
    const problems: string[] = [];
    for (const [key, entry] of reference.entries) {
      if (PLURAL_FORM.test(key)) continue;
      const own = table.entries.get(key);
      if (own === undefined) problems.push(`missing ${key}`);
      else if (Array.isArray(entry) !== Array.isArray(own) || (Array.isArray(entry) && entry.length !== (own as string[]).length)) problems.push(`${key} is not shaped as in ${DEFAULT_LOCALE}.json`);
    }
    for (const key of table.entries.keys()) if (!reference.entries.has(key) && !PLURAL_FORM.test(key)) problems.push(`${key} is not in ${DEFAULT_LOCALE}.json`);
    if (problems.length > 0) throw new Error(`Templates: ${table.path}: ${problems.join('; ')}`);
    tables.set(locale, new StringTable(locale, table.tree, table.entries));
  }
  return tables;
}

/** Plural forms other than `other` differ between languages (Korean has none, English `one`). */
const PLURAL_FORM = /\.(zero|one|two|few|many)$/;

function flatten(path: string, tree: Record<string, unknown>, prefix = '', into = new Map<string, Entry>()): Map<string, Entry> {
  for (const [name, value] of Object.entries(tree)) {
    const key = prefix + name;
    if (typeof value === 'string') into.set(key, checked(path, key, value));
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) into.set(key, value.map((item) => checked(path, key, item)));
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) flatten(path, value as Record<string, unknown>, `${key}.`, into);
    else throw new Error(`Templates: ${path}: ${key} must be a string, a list of strings or an object`);
  }
  return into;
}

const UNSAFE = /\{\{\{|\{\{~?\s*[&>!]|\{\{~?\s*#\s*[*>]/;

/**
 * Strings are compiled into the templates, so they may only insert values escaped where they
 * land: no {{{raw}}} or {{&raw}} output, no partials, no comments hiding markup.
 */
function checked(path: string, key: string, value: string): string {
  if (UNSAFE.test(value)) {
    throw new Error(`Templates: ${path}: ${key} may hold {{value}} and {{#if}} blocks only`);
  }
  try {
    strings.parse(value);
  } catch (error) {
    throw new Error(`Templates: ${path}: ${key} is not a valid Handlebars string: ${(error as Error).message}`);
  }
  return value;
}
