import fc from 'fast-check';
import { isEmail } from 'class-validator';
import { client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Issue 3 (abuse and bad input): random and hostile input on every public endpoint, against one
 * real app on real PostgreSQL. The properties:
 * - the answer is never a 5xx, and always a 2xx, 3xx or 4xx;
 * - a 4xx under /api is JSON in the contract's error shape { statusCode, error, message: [...] };
 * - the database never gains a registration that fails validation (checked at the end).
 *
 * Deterministic: a fixed seed (FUZZ_SEED overrides it, FUZZ_RUNS the number of runs per endpoint).
 * fast-check names the seed and the shrunk counterexample on failure; rerun with that seed to replay.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20270310);
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

describe(`public endpoints under random and hostile input (fast-check seed ${SEED}, ${RUNS} runs each)`, () => {
  let t: TestApp;
  let publishedId: string;
  let draftId: string;
  const answers: { request: string; status: number }[] = [];

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres' });
    const api = client(t.url, t.adminToken);
    const event = {
      title: '퍼즈 테스트 세미나',
      type: 'seminar',
      startsAt: '2030-03-10T14:00:00+09:00',
      endsAt: '2030-03-10T16:00:00+09:00',
      capacity: 5,
      hostClusters: ['ICT', 'DC'],
    };
    const published = await api.post('/api/events', event);
    expect(published.status).toBe(201);
    publishedId = published.body.id;
    expect((await api.post(`/api/events/${publishedId}/publish`)).status).toBe(200);
    const draft = await api.post('/api/events', { ...event, title: '퍼즈 초안' });
    draftId = draft.body.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Sends one request exactly as given (raw body, raw content type) and checks the answer's properties. */
  async function send(method: string, path: string, init: { body?: string | Uint8Array; contentType?: string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...init.headers };
    if (init.contentType !== undefined) headers['content-type'] = init.contentType;
    // A Uint8Array body makes fetch add no content type of its own: what we send is what the app sees.
    const body = typeof init.body === 'string' ? Buffer.from(init.body, 'utf8') : init.body;
    const response = await fetch(`${t.url}${path}`, { method, headers, body, redirect: 'manual' });
    const text = await response.text();
    const request = `${method} ${path.slice(0, 300)}${init.contentType !== undefined ? ` (${init.contentType.slice(0, 80)})` : ''}`;
    answers.push({ request, status: response.status });
    const fail = (why: string) => new Error(`${request} → ${response.status}: ${why}\n${text.slice(0, 500)}`);
    if (response.status >= 500) throw fail('a 5xx');
    if (response.status < 200) throw fail('not a 2xx, 3xx or 4xx');
    const apiPath = new URL(`${t.url}${path}`).pathname.startsWith('/api/');
    // 431 comes from Node's HTTP parser (URL and headers past 16 KB) before the app sees the request.
    if (apiPath && response.status >= 400 && response.status !== 431) {
      if (!(response.headers.get('content-type') ?? '').startsWith('application/json')) throw fail('a 4xx under /api that is not JSON');
      const parsed = JSON.parse(text);
      const shaped =
        parsed !== null &&
        typeof parsed === 'object' &&
        parsed.statusCode === response.status &&
        typeof parsed.error === 'string' &&
        Array.isArray(parsed.message) &&
        parsed.message.length > 0 &&
        parsed.message.every((m: unknown) => typeof m === 'string') &&
        Object.keys(parsed).every((key) => ['statusCode', 'error', 'message'].includes(key));
      if (!shaped) throw fail('a 4xx under /api not in the contract error shape');
    }
    return { status: response.status, text };
  }

  async function check<T>(arbitrary: fc.Arbitrary<T>, property: (value: T) => Promise<unknown>): Promise<void> {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (value) => {
        await property(value);
      }),
      {
        seed: SEED,
        numRuns: RUNS,
        // fast-check's own report, cut short: a counterexample may be a 200 000-character body.
        reporter: (details) => {
          if (!details.failed) return;
          const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
          throw new Error(
            `fuzz failed after ${details.numRuns} runs; replay with FUZZ_SEED=${details.seed} (counterexample path ${details.counterexamplePath}, shrunk ${details.numShrinks} times)\n` +
              `cause: ${clip(cause, 2000)}\ncounterexample: ${clip(fc.stringify(details.counterexample), 2000)}`,
          );
        },
      },
    );
  }

  it('POST /api/events/:id/registrations: arbitrary JSON values', async () => {
    await check(
      fc.oneof(
        fc.json(),
        fc.anything().map((v) => JSON.stringify(v) ?? ''),
        deepNesting,
      ),
      (body) => send('POST', `/api/events/${publishedId}/registrations`, { body, contentType: 'application/json' }),
    );
  });

  it('POST /api/events/:id/registrations: objects with hostile keys and values', async () => {
    await check(registrationObject, (body) => send('POST', `/api/events/${publishedId}/registrations`, { body, contentType: 'application/json' }));
  });

  it('POST /api/events/:id/registrations: random ids and the draft', async () => {
    await check(fc.tuple(idSegment, fc.boolean(), registrationObject), ([id, draft, body]) =>
      send('POST', `/api/events/${draft ? draftId : id}/registrations`, { body, contentType: 'application/json' }),
    );
  });

  it('POST /events/:id/registrations: random urlencoded forms', async () => {
    await check(fc.tuple(fc.oneof(fc.constant('published'), idSegment), urlencodedForm), ([id, body]) =>
      send('POST', `/events/${id === 'published' ? publishedId : id}/registrations`, { body, contentType: 'application/x-www-form-urlencoded' }),
    );
  });

  it('GET and POST /r/:token with random tokens', async () => {
    await check(fc.tuple(fc.constantFrom('GET', 'POST'), tokenSegment), ([method, token]) =>
      send(method, `/r/${token}`, method === 'POST' ? { body: '', contentType: 'application/x-www-form-urlencoded' } : {}),
    );
  });

  it('GET /events/:id, /api/events/:id and /api/events/:id/calendar.ics with random ids', async () => {
    await check(fc.tuple(fc.constantFrom('/events/', '/api/events/'), idSegment, fc.constantFrom('', '/calendar.ics')), ([prefix, id, suffix]) =>
      send('GET', `${prefix}${id}${prefix === '/api/events/' ? suffix : ''}`),
    );
  });

  it('GET /api/events and /events with random query strings', async () => {
    await check(fc.tuple(fc.constantFrom('/api/events', '/events'), queryString), ([path, query]) => send('GET', `${path}?${query}`));
  });

  it('GET /api/clusters/:code/calendar.ics with random codes', async () => {
    await check(fc.oneof(tokenSegment, fc.constantFrom('ICT', 'ict', 'GREEN_IT', 'GREEN-IT', '__proto__', 'constructor', 'toString')), (code) =>
      send('GET', `/api/clusters/${code}/calendar.ics`),
    );
  });

  it('raw garbage bodies with random content types and encodings on every public POST', async () => {
    const target = fc.constantFrom(
      () => `/api/events/${publishedId}/registrations`,
      () => `/events/${publishedId}/registrations`,
      () => `/r/${'A'.repeat(43)}`,
      () => '/api/members', // organizer-only: 401 whatever the body
      () => '/api/members/import',
    );
    await check(fc.tuple(target, garbageBody, contentType, contentEncoding), ([path, body, type, encoding]) =>
      send('POST', path(), { body, contentType: type, headers: encoding ? { 'content-encoding': encoding } : {} }),
    );
  });

  it('regressions: the inputs that once got a 500 get a 400 naming the problem', async () => {
    const register = `/api/events/${publishedId}/registrations`;
    const expect400 = async (answer: Promise<{ status: number; text: string }>, message: string) => {
      const { status, text } = await answer;
      expect({ status, body: JSON.parse(text) }).toEqual({ status: 400, body: { statusCode: 400, error: 'Bad Request', message: [message] } });
    };
    // Nesting ten thousand levels deep: a stack overflow in the ValidationPipe.
    await expect400(
      send('POST', register, { body: `{"email":${'['.repeat(10_000)}1${']'.repeat(10_000)}}`, contentType: 'application/json' }),
      'body must not be nested deeper than 32 levels',
    );
    // The page route answers people with a page carrying the same message.
    const page = await send('POST', `/events/${publishedId}/registrations`, {
      body: `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
      contentType: 'application/json',
    });
    expect(page.status).toBe(400);
    expect(page.text).toContain('<!doctype html>');
    expect(page.text).toContain('body must not be nested deeper than 32 levels');
    // An unpaired surrogate: isEmail's encodeURI threw a URIError.
    await expect400(
      send('POST', register, { body: '{"email":"\\udfff","name":"x"}', contentType: 'application/json' }),
      'email must be valid Unicode text (it has an unpaired surrogate)',
    );
    await expect400(
      send('POST', register, { body: '{"email":"a@b.example","name":"\\ud800"}', contentType: 'application/json' }),
      'name must be valid Unicode text (it has an unpaired surrogate)',
    );
    // A body that does not inflate under its Content-Encoding: zlib's error had no body-parser type.
    for (const body of [new Uint8Array(), Buffer.from('{}')]) {
      await expect400(
        send('POST', register, { body, contentType: 'application/json', headers: { 'content-encoding': 'gzip' } }),
        'body could not be decoded with its Content-Encoding',
      );
    }
  });

  it('bodies past their limits get 413, not 500: JSON, urlencoded form and text/csv', async () => {
    const over = 1024 * 1024 + 1;
    const json = await send('POST', `/api/events/${publishedId}/registrations`, {
      body: JSON.stringify({ email: 'a@b.example', name: 'x'.repeat(over) }),
      contentType: 'application/json',
    });
    expect(json.status).toBe(413);
    const form = await send('POST', `/events/${publishedId}/registrations`, {
      body: `email=a%40b.example&name=${'x'.repeat(over)}`,
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(413);
    // More than 1000 fields is refused by the form parser as too large as well.
    const fields = await send('POST', `/events/${publishedId}/registrations`, {
      body: Array.from({ length: 1500 }, (_, i) => `f${i}=1`).join('&'),
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(fields.status).toBe(413);
    const csv = await send('POST', '/api/members/import', {
      body: `email,name,company,cluster,locale\n${'a@b.example,x,y,ICT,ko\n'.repeat(Math.ceil((10 * 1024 * 1024) / 22) + 10)}`,
      contentType: 'text/csv',
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    expect(csv.status).toBe(413);
    expect(JSON.parse(csv.text)).toEqual({ statusCode: 413, error: 'Payload Too Large', message: [expect.stringMatching(/^body must not be larger than/)] });
  });

  it('never answered with a 5xx, and the database holds only valid registrations', async () => {
    if (process.env.FUZZ_SUMMARY) {
      // FUZZ_SUMMARY=1: how the answers spread, by endpoint and status, to see what the generators reach.
      const spread = new Map<string, number>();
      for (const { request, status } of answers) {
        const endpoint = request.replace(/^(\S+ \/(api\/)?[^/?]*\/?)[^ ]*(.*)$/, '$1…').slice(0, 40);
        spread.set(`${endpoint} ${status}`, (spread.get(`${endpoint} ${status}`) ?? 0) + 1);
      }
      console.log(
        [...spread]
          .sort()
          .map(([key, n]) => `${key}: ${n}`)
          .join('\n'),
      );
    }
    expect(answers.length).toBeGreaterThan(RUNS * 9);
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    const { rows } = await t.db.query<{ email: string; name: string; company: string | null }>('SELECT email, name, company FROM registrations');
    // Some generated registrations are valid, so the endpoint really wrote something under fire.
    expect(rows.length).toBeGreaterThan(0);
    const invalid = rows.filter(
      (row) => !isEmail(row.email) || row.email.length > 320 || !validSingleLine(row.name) || (row.company !== null && !validSingleLine(row.company)),
    );
    expect(invalid).toEqual([]);
    // Every registration belongs to the one published event; the draft and unknown ids got none.
    const { rows: events } = await t.db.query<{ event_id: string }>('SELECT DISTINCT event_id FROM registrations');
    expect(events).toEqual([{ event_id: publishedId }]);
  });
});

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max / 2)}\n… ${text.length - max} characters left out …\n${text.slice(-max / 2)}`;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
function validSingleLine(text: string): boolean {
  return text.trim() !== '' && !CONTROL.test(text) && [...text].length <= 200;
}

/** Any UTF-16 code unit, lone surrogates, NUL and the other control characters included. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: anyCodeUnit }),
  fc.constantFrom(
    '',
    ' ',
    '\r\n',
    '\u0000',
    'a\u0000b',
    '\u2028\u2029',
    '\ud800',
    '\udfff',
    '\ufeff',
    '__proto__',
    'constructor',
    '{"$gt":""}',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '%00',
    '../../etc/passwd',
    '김민지 😀',
    'Ｍｉｎｊｉ',
  ),
  // An email with something hostile glued on: header injection, NUL, whitespace.
  fc.tuple(fc.emailAddress(), fc.constantFrom('\r\nBcc: victim@example.com', '\u0000', '\n', ' ', '\t', '%0d%0a', '\u0085', '>')).map(([e, s]) => e + s),
  // Huge strings (up to 200k characters, under the 1mb body limit in UTF-8).
  fc.tuple(fc.integer({ min: 2, max: 5 }), fc.constantFrom('x', '가', '😀', '\n')).map(([n, c]) => c.repeat(Math.min(10 ** n, 200_000 / c.length))),
);

/** Values where a string is expected: numbers, booleans, null, arrays, objects, nested arrays. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.nat({ max: 50 }).map((n) => JSON.parse('['.repeat(n) + '"a@b.example"' + ']'.repeat(n)) as unknown),
);

const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'email', 'name', 'company', 'status', 'id', ''),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: anyCodeUnit, maxLength: 10 }),
);

/** JSON text written by hand, so keys such as "__proto__" really appear in the body (JSON.stringify would drop them). */
function objectText(entries: [string, unknown][]): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`).join(',')}}`;
}

/** Valid registrations (some must get through), near misses, and objects with random keys and values. */
const registrationObject: fc.Arbitrary<string> = fc.oneof(
  fc
    .record({
      email: fc.emailAddress(),
      name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
      company: fc.option(fc.string({ unit: 'grapheme', maxLength: 40 }), { nil: undefined }),
    })
    .map((r) => JSON.stringify(r)),
  fc
    .tuple(
      fc.record({ email: fc.oneof(fc.emailAddress(), hostileValue), name: hostileValue, company: hostileValue }, { requiredKeys: [] }),
      fc.array(fc.tuple(hostileKey, hostileValue), { maxLength: 4 }),
    )
    .map(([known, extra]) => objectText([...Object.entries(known), ...extra])),
  fc.array(fc.tuple(hostileKey, hostileValue), { maxLength: 6 }).map(objectText),
  fc.tuple(fc.emailAddress(), fc.constantFrom('__proto__', 'constructor')).map(([email, key]) =>
    objectText([
      ['email', email],
      ['name', 'Proto'],
      [key, { status: 'confirmed', isAdmin: true, prototype: { polluted: true } }],
    ]),
  ),
);

/** Arrays nested far deeper than any real body, inside an object and bare. */
const deepNesting: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(1_000, 10_000, 100_000), fc.constantFrom('email', 'name', 'other'), fc.boolean())
  .map(([depth, key, wrapped]) => {
    const nested = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    return wrapped ? `{"${key}":${nested}}` : nested;
  });

/** Random bytes, percent-encoded one by one: invalid UTF-8 included. */
const percentBytes = fc.uint8Array({ maxLength: 40 }).map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''));

/** A path segment: URL-safe, encoded arbitrary strings, raw bytes, and broken percent-escapes. */
const tokenSegment: fc.Arbitrary<string> = fc
  .oneof(
    fc.webSegment(),
    fc.string({ unit: anyCodeUnit, maxLength: 60 }).map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '?'))),
    fc.string({ unit: 'grapheme', maxLength: 60 }).map(encodeURIComponent),
    percentBytes,
    fc.constantFrom('%', '%E0%A4%A', '%ZZ', '%00', '%C0%AF', '%ED%A0%80', '..%2F..%2F', 'A'.repeat(43), `${'A'.repeat(42)}%00`, 'x'.repeat(4000)),
    fc.base64String({ minLength: 40, maxLength: 48 }).map(encodeURIComponent),
  )
  .filter((segment) => segment !== '' && segment !== '.' && segment !== '..');

const idSegment: fc.Arbitrary<string> = fc.oneof(
  fc.uuid(),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '0b7e2a4c-5d7e-4f3a-9c1b-2d3e4f5a6b7c'),
  fc.uuid().map((u) => `${u}x`),
  tokenSegment,
);

function formEncode(text: string): string {
  return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '?'));
}

/** Random urlencoded forms: known and random field names, repeated fields, broken escapes. */
const urlencodedForm: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(
      fc.tuple(
        fc.oneof(fc.constantFrom('email', 'name', 'company', '__proto__', 'constructor', 'email[]', 'name[0]', 'a[b][c]'), fc.string({ maxLength: 12 })),
        fc.oneof(hostileString, fc.emailAddress()),
      ),
      { maxLength: 8 },
    )
    .map((fields) => fields.map(([k, v]) => `${formEncode(k)}=${formEncode(v)}`).join('&')),
  fc
    .record({ email: fc.emailAddress(), name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), extra: hostileString })
    .map(({ email, name, extra }) => `email=${formEncode(email)}&name=${formEncode(name)}&company=${formEncode(extra)}`),
  fc.tuple(fc.emailAddress(), fc.emailAddress()).map(([a, b]) => `email=${formEncode(a)}&email=${formEncode(b)}&name=Twice`),
  fc.tuple(percentBytes, percentBytes).map(([k, v]) => `${k}=${v}&email=${v}&name=${v}`),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

const queryString: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom(
            'from',
            'to',
            'cluster',
            'lang',
            'from[]',
            'to[$gt]',
            'cluster[0]',
            '__proto__[x]',
            'constructor[prototype][x]',
            'a[b][c][d][e][f][g]',
          ),
          fc.string({ maxLength: 10 }),
        ),
        fc.oneof(
          hostileString.map((s) => s.slice(0, 2000)),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.constantFrom('0000-01-01', '9999-12-31T23:59:59Z', '275760-09-13', '2030-02-30', '1970-01-01T00:00:00+14:00', 'ICT', 'GREEN_IT', 'en'),
        ),
      ),
      { maxLength: 5 },
    )
    .map((pairs) => pairs.map(([k, v]) => `${formEncode(k)}=${formEncode(v)}`).join('&')),
  percentBytes,
  fc.constantFrom('%', 'from=%', 'from=%E0%A4%A', '&&&', '=', 'from', 'from=2030-01-01&from=2030-01-02', `${'a=1&'.repeat(2000)}`),
);

const garbageBody: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }),
  fc.string({ unit: 'binary', maxLength: 500 }).map((s) => Buffer.from(s, 'utf8')),
  fc.json().map((s) => Buffer.from(s, 'utf8')),
  fc
    .constantFrom(
      '',
      '{',
      '[',
      '{"email":',
      'null',
      '"x"',
      '1e400',
      '\u0000',
      '\ufeff{}',
      '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.example\r\n--x--',
    )
    .map((s) => Buffer.from(s, 'utf8')),
);

const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=utf-16',
    'application/json; charset=latin1',
    'application/json; charset="bogus"',
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded; charset=koi8-r',
    'text/csv',
    'text/plain',
    'text/plain; charset=bogus',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    'application/xml',
    'application/*',
    '*/*',
    'application/json, text/plain',
    ';;;',
  ),
  fc.string({ maxLength: 40 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
);

const contentEncoding: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-bogus', 'gzip, gzip'),
);
