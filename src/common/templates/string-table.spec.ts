import type { Request } from 'express';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LOCALES, requestLocale } from './locales';
import { loadStringTables } from './string-table';
import { localize } from './template-source';

const TEMPLATES = resolve(__dirname, '../../../templates');

describe('string tables', () => {
  const tables = loadStringTables(TEMPLATES);

  it('has one table per language of LOCALES', () => {
    expect([...tables.keys()]).toEqual([...LOCALES]);
  });

  it('fills placeholders and picks plural forms by the language’s rules', () => {
    const en = tables.get('en')!;
    const ko = tables.get('ko')!;
    expect(en.text('pages.event.opensAt', { when: 'Mon' })).toBe('Registration opens on Mon.');
    expect(en.count('mail.startsIn.hour', 1)).toBe('in 1 hour');
    expect(en.count('mail.startsIn.hour', 2)).toBe('in 2 hours');
    expect(ko.count('mail.startsIn.hour', 1)).toBe('1시간 후');
  });

  it('escapes a string for HTML but keeps its placeholders and <strong>; plain text drops the tag', () => {
    const en = tables.get('en')!;
    expect(localize(`<p>{{t 'mail.registration_waitlisted.position'}}</p>`, en, 'html')).toBe('<p>You are <strong>number {{position}}</strong> on the list.</p>');
    expect(localize(`{{t 'mail.registration_waitlisted.position'}}`, en, 'text')).toBe('You are number {{position}} on the list.');
    expect(localize(`{{t '.subject'}}`, en, 'text', 'invitation')).toBe('Invitation: {{event.title}}');
    expect(() => localize(`{{t 'no.such.key'}}`, en, 'html')).toThrow(/no string no\.such\.key/);
    expect(() => localize(`{{t .subject}}`, en, 'html')).toThrow(/not a string reference/);
  });

  describe('a table that does not fit refuses to load, naming the file and the key', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'templates-'));
      cpSync(join(TEMPLATES, 'locales'), join(dir, 'locales'), { recursive: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const edit = (locale: string, change: (tree: Record<string, any>) => void) => {
      const path = join(dir, 'locales', `${locale}.json`);
      const tree = JSON.parse(readFileSync(path, 'utf8'));
      change(tree);
      writeFileSync(path, JSON.stringify(tree));
    };

    it('a key missing in one language', () => {
      edit('en', (tree) => delete tree.mail.invitation.action);
      expect(() => loadStringTables(dir)).toThrow(/en\.json: missing mail\.invitation\.action/);
    });

    it('a language file that LOCALES does not list: a third language is its file plus its code there', () => {
      cpSync(join(dir, 'locales', 'en.json'), join(dir, 'locales', 'ja.json'));
      expect(() => loadStringTables(dir)).toThrow(/ja\.json is not a language of LOCALES.*add 'ja'/);
    });

    it('a string that would write raw HTML into a page', () => {
      edit('en', (tree) => (tree.pages.skip = 'Skip {{{evil}}}'));
      expect(() => loadStringTables(dir)).toThrow(/pages\.skip may hold/);
    });
  });
});

describe('the language of a page', () => {
  const request = (query: Record<string, unknown>, language?: string) => ({ query, headers: language ? { 'accept-language': language } : {} }) as unknown as Request;

  it('is ?lang=, else the browser’s first language when we have it, else Korean', () => {
    expect(requestLocale(request({ lang: 'en' }, 'ko-KR'))).toBe('en');
    expect(requestLocale(request({ lang: 'xx' }, 'en-US,en;q=0.9'))).toBe('en');
    expect(requestLocale(request({}, 'ko-KR,ko;q=0.9,en;q=0.8'))).toBe('ko');
    expect(requestLocale(request({}, 'fr-FR,en;q=0.8'))).toBe('ko');
    expect(requestLocale(request({}))).toBe('ko');
  });
});
