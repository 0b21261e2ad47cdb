import type { Mailbox } from './mailbox';

/**
 * A browser without a browser for the console suites: keeps cookies as a browser would (by name,
 * path ignored, deleted when expired), follows nothing by itself, and reads the CSRF token of the
 * last page's forms.
 */
export interface Page {
  status: number;
  location: string | null;
  setCookies: string[];
  html: string;
}

export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  lastCsrf: string | undefined;

  constructor(private readonly baseUrl: string) {}

  async get(path: string): Promise<Page> {
    return this.send('GET', path);
  }

  /** Posts a form; `_csrf` is the last page's token unless the fields say otherwise (null: none at all). */
  async post(path: string, fields: Record<string, string | string[]> = {}, csrf: string | null | undefined = this.lastCsrf): Promise<Page> {
    const body = new URLSearchParams();
    if (csrf !== null && csrf !== undefined) body.append('_csrf', csrf);
    for (const [name, value] of Object.entries(fields)) for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
    return this.send('POST', path, body.toString());
  }

  /** Posts a multipart form with one file, as a browser's file upload does; `_csrf` as in post(). */
  async upload(
    path: string,
    fields: Record<string, string>,
    file: { field: string; name: string; type: string; bytes: Uint8Array },
    csrf: string | null | undefined = this.lastCsrf,
  ): Promise<Page> {
    const body = new FormData();
    if (csrf !== null && csrf !== undefined) body.append('_csrf', csrf);
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    body.append(file.field, new Blob([file.bytes], { type: file.type }), file.name);
    return this.send('POST', path, body);
  }

  private async send(method: string, path: string, body?: string | FormData): Promise<Page> {
    const headers: Record<string, string> = { accept: 'text/html', 'accept-language': 'ko-KR,ko;q=0.9' };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    // A FormData body sets its own multipart Content-Type, with the boundary.
    if (typeof body === 'string') headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
    const setCookies = response.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const html = await response.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (csrf) this.lastCsrf = csrf;
    return { status: response.status, location: response.headers.get('location'), setCookies, html };
  }
}

/** The sign-in link's token in a captured mail (text part). */
export function signInToken(text: string | undefined): string {
  const match = /\/console\/sign-in\/([A-Za-z0-9_-]{43})/.exec(text ?? '');
  if (!match) throw new Error(`no sign-in link in: ${text}`);
  return match[1];
}

/**
 * A console signed in as `email` the way a person does it: asks for the link on the sign-in page,
 * opens the mailed link, presses its button. `mailbox` is the test app's SMTP server.
 */
export async function signedInConsole(baseUrl: string, mailbox: Mailbox, email: string): Promise<ConsoleClient> {
  const browser = new ConsoleClient(baseUrl);
  const before = mailbox.to(email).length;
  await browser.get('/console/sign-in');
  const asked = await browser.post('/console/sign-in', { email });
  if (asked.status !== 303) throw new Error(`sign-in request for ${email} answered ${asked.status}`);
  await mailbox.waitFor(() => mailbox.to(email).length > before, `sign-in mail to ${email}`);
  const token = signInToken(mailbox.to(email).at(-1)!.parsed.text);
  await browser.get(`/console/sign-in/${token}`);
  const done = await browser.post(`/console/sign-in/${token}`);
  if (done.status !== 303 || done.location !== '/console') throw new Error(`sign-in of ${email} answered ${done.status} → ${done.location}`);
  return browser;
}
