import type { Request, Response } from 'express';
import { isLocale, Locale, requestLocale } from '../common/templates/locales';

/** Remembers the console language chosen with `?lang=`, so the next page keeps it. */
export const LANG_COOKIE = 'sh_lang';

/**
 * The console's language: `?lang=ko|en` (remembered in a cookie for the next pages), else the one
 * remembered, else the browser's (requestLocale). Staff switch once with 한국어 / English.
 */
export function consoleLocale(request: Request, response?: Response): Locale {
  const asked = request.query?.lang;
  if (isLocale(asked)) {
    response?.cookie(LANG_COOKIE, asked, { httpOnly: true, sameSite: 'lax', path: '/console', maxAge: 365 * 86_400_000 });
    return asked;
  }
  const kept = (request.cookies as Record<string, unknown> | undefined)?.[LANG_COOKIE];
  return isLocale(kept) ? kept : requestLocale(request);
}

/** The address of the page in the other language: the same path and query, `lang` replaced. */
export function languageUrl(request: Request, locale: Locale): string {
  const url = new URL(request.originalUrl, 'http://x');
  url.searchParams.set('lang', locale);
  return `${url.pathname}?${url.searchParams.toString()}`;
}
