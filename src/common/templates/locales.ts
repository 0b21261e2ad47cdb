import type { Request } from 'express';

/**
 * The languages people get mail and pages in: one string table each, templates/locales/<code>.json.
 * A third language is that file and its code here; the renderer refuses to start when the two
 * disagree or a table lacks a key of the default one. Outside the templates, members can only
 * hold a language the members.locale CHECK allows (a migration), and cluster names come from
 * the clusters table's name_ko / name_en (DirectoryService.clusterNames).
 */
export const LOCALES = ['ko', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
/** Members, pages and mail without a known language get Korean. */
export const DEFAULT_LOCALE: Locale = 'ko';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The language of a page: `?lang=xx`, else the browser's first language when we have it, else
 * Korean. Only the first language counts: a Korean browser that also accepts English stays Korean.
 */
export function requestLocale(request: Request): Locale {
  const asked = request.query?.lang;
  if (isLocale(asked)) return asked;
  const accept = request.headers?.['accept-language'];
  const first = typeof accept === 'string' ? /^\s*([a-z]{2,3})\b/i.exec(accept)?.[1]?.toLowerCase() : undefined;
  return isLocale(first) ? first : DEFAULT_LOCALE;
}
