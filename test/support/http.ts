/** A small JSON client for the e2e suites: every call returns status, headers and the parsed body. */
export interface Answer<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export function client(baseUrl: string, token?: string) {
  async function call<T = any>(method: string, path: string, body?: unknown, init: { contentType?: string; token?: string | null } = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = {};
    const bearer = init.token === null ? undefined : (init.token ?? token);
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    let payload: string | Uint8Array | undefined;
    if (body !== undefined) {
      headers['content-type'] = init.contentType ?? 'application/json';
      // Bytes go as they are: the suites send bodies in other encodings and bodies that are no text at all.
      payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload, redirect: 'manual' });
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
    return { status: response.status, body: parsed as T, text, headers: response.headers };
  }
  return {
    get: <T = any>(path: string, init?: { token?: string | null }) => call<T>('GET', path, undefined, init),
    post: <T = any>(path: string, body?: unknown, init?: { contentType?: string; token?: string | null }) => call<T>('POST', path, body ?? {}, init),
    patch: <T = any>(path: string, body?: unknown) => call<T>('PATCH', path, body ?? {}),
    put: <T = any>(path: string, body?: unknown) => call<T>('PUT', path, body ?? {}),
    form: <T = any>(path: string, fields: Record<string, string>) =>
      call<T>('POST', path, new URLSearchParams(fields).toString(), { contentType: 'application/x-www-form-urlencoded', token: null }),
  };
}
