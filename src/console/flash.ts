import type { Request, Response } from 'express';
import type { StringTable } from '../common/templates/string-table';

const FLASH_COOKIE = 'sh_flash';
const COOKIE = { httpOnly: true, sameSite: 'strict' as const, path: '/console' };

export interface Flash {
  kind: 'success' | 'error';
  text: string;
}

/**
 * The message on the page after a change (POST-redirect-GET): a short-lived cookie naming a
 * string of the table (`console.flash.<key>`) and its values, read and cleared by the next page.
 * Only keys of the table are shown, so a forged cookie can put no text of its own on the page.
 */
export function setFlash(response: Response, key: string, values: Record<string, string | number> = {}, kind: Flash['kind'] = 'success'): void {
  response.cookie(FLASH_COOKIE, Buffer.from(JSON.stringify({ key, values, kind })).toString('base64url'), { ...COOKIE, maxAge: 60_000 });
}

export function takeFlash(request: Request, response: Response, strings: StringTable): Flash | null {
  const raw = (request.cookies as Record<string, unknown> | undefined)?.[FLASH_COOKIE];
  if (typeof raw !== 'string') return null;
  response.clearCookie(FLASH_COOKIE, COOKIE);
  try {
    const { key, values, kind } = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { key?: unknown; values?: unknown; kind?: unknown };
    if (typeof key !== 'string' || !/^[a-zA-Z]+$/.test(key) || !strings.has(`console.flash.${key}`)) return null;
    const safe: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(typeof values === 'object' && values !== null ? values : {})) {
      if (typeof value === 'string' || typeof value === 'number') safe[name] = typeof value === 'string' ? value.slice(0, 400) : value;
    }
    return { kind: kind === 'error' ? 'error' : 'success', text: strings.text(`console.flash.${key}`, safe) };
  } catch {
    return null;
  }
}
