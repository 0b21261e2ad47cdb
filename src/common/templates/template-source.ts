import { existsSync, readFileSync } from 'node:fs';
import type { StringTable } from './string-table';

/**
 * The steps that turn template files into one Handlebars source per page, mail part and
 * language, once, when the renderer starts:
 *
 * 1. `{{> name}}` is replaced by the partial's file (`{{> body}}` in a layout by the page or the
 *    mail's body), so a page or a mail part is one template;
 * 2. (mail HTML) the MJML is compiled to HTML, in mjml-compiler.ts;
 * 3. `{{t 'key'}}` is replaced by the language's string, `{{t-json 'key'}}` by a section as JSON.
 *
 * What is left is Handlebars filled with each mail's or page's values.
 */

const PARTIAL = /\{\{>\s*([\w-]+)\s*\}\}/g;

/** Replaces `{{> name}}` by `partial(name)`, recursively; a partial including itself is an error. */
export function expandPartials(source: string, partial: (name: string) => string, trail: string[] = []): string {
  return source.replace(PARTIAL, (_, name: string) => {
    if (trail.includes(name)) throw new Error(`Templates: partial ${[...trail, name].join(' → ')} includes itself`);
    return expandPartials(partial(name), partial, [...trail, name]);
  });
}

/** A partial resolver reading `<dir>/<name><extension>`, with `body` given by the caller. */
export function partialFiles(dir: string, extension: string, body?: string): (name: string) => string {
  return (name) => {
    if (name === 'body' && body !== undefined) return body;
    const path = `${dir}/${name}${extension}`;
    if (!existsSync(path)) throw new Error(`Templates: partial {{> ${name}}} has no file ${path}`);
    return trimFinalNewline(readFileSync(path, 'utf8'));
  };
}

/** Where the strings land: HTML escapes them (but for <strong> and <br>); text takes them bare. */
export type Flavour = 'html' | 'text';

const STRING = /\{\{t(-json)?\s+(['"])([^'"]+)\2\s*\}\}/g;

/**
 * Puts the language's strings into a source. In mail, a key starting with `.` belongs to the
 * mail being compiled (`.subject` in invitation.mjml is `mail.invitation.subject`).
 */
export function localize(source: string, strings: StringTable, flavour: Flavour, kind?: string): string {
  const out = source.replace(STRING, (_, json: string | undefined, __, written: string) => {
    const key = written.startsWith('.') ? relativeKey(written, kind) : written;
    if (json) return JSON.stringify(strings.section(key)).replace(/</g, '\\u003c');
    const text = strings.raw(key);
    return flavour === 'html' ? htmlString(text) : textString(text);
  });
  const left = /\{\{~?\s*t(-json)?\s[^}]*\}\}/.exec(out);
  if (left) throw new Error(`Templates: ${left[0]} is not a string reference ({{t 'key'}})`);
  return out;
}

function relativeKey(written: string, kind: string | undefined): string {
  if (!kind) throw new Error(`Templates: ${written} is relative to a mail; pages name their strings in full`);
  return `mail.${kind}${written}`;
}

/** Escapes a string's text for HTML, leaving its {{placeholders}} (escaped when filled) and <strong>, <br>. */
function htmlString(text: string): string {
  return text
    .split(/(\{\{[\s\S]*?\}\})/)
    .map((part, index) => (index % 2 === 1 ? part : escapeHtml(part).replace(/&lt;(\/?strong|br)&gt;/g, '<$1>')))
    .join('');
}

function textString(text: string): string {
  return text.replace(/<\/?strong>/g, '').replace(/<br>/g, '\n');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Files end with a newline that is not part of the text (a subject, a partial in the middle of a line). */
export function trimFinalNewline(text: string): string {
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}
