import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Clock } from '../clock';
import { PublicPageCache } from './public-page-cache';

class TestClock extends Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

const EVENT = '/events/2f1c7a52-3d0e-4c59-9a51-1f7f2b8f0c11';

/** The cache in front of a plain Express app whose routes count how often they were really run. */
describe('PublicPageCache', () => {
  let server: Server;
  let base: string;
  const clock = new TestClock();
  const runs = new Map<string, number>();
  const ran = (path: string) => runs.get(path) ?? 0;

  beforeAll(async () => {
    const app = express();
    app.use(new PublicPageCache({ ttlMs: 60_000, clock }).middleware());
    const count = (request: express.Request) => runs.set(request.path, ran(request.path) + 1);
    app.get('/events', (request, response) => {
      count(request);
      response.cookie('visited', '1').send('<p>list</p>');
    });
    app.get(EVENT, (request, response) => {
      count(request);
      response.send(`<p>event ${ran(request.path)}</p>`);
    });
    app.get('/api/events', (request, response) => {
      count(request);
      response.setHeader('Cache-Control', 'no-store');
      response.json([]);
    });
    app.get('/api/events/:id', (request, response) => {
      count(request);
      response.write('{"streamed":');
      response.end('true}');
    });
    app.get('/r/:token', (request, response) => {
      count(request);
      response.send('personal');
    });
    app.post('/api/events', (_request, response) => {
      response.status(Number(_request.query.status ?? 201)).send('');
    });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const get = async (path: string, headers: Record<string, string> = {}) => (await fetch(`${base}${path}`, { headers })).text();

  it('answers a shared page from memory until a write completes or the clock moves', async () => {
    const first = await get(EVENT);
    expect(await get(EVENT)).toBe(first);
    expect(ran(EVENT)).toBe(1);
    // Refused writes change nothing.
    await fetch(`${base}/api/events?status=400`, { method: 'POST' });
    expect(await get(EVENT)).toBe(first);
    expect(ran(EVENT)).toBe(1);
    await fetch(`${base}/api/events`, { method: 'POST' });
    expect(await get(EVENT)).not.toBe(first);
    expect(ran(EVENT)).toBe(2);
    expect(await get(EVENT)).toBe('<p>event 2</p>');
    clock.offsetMs += 60_000;
    expect(await get(EVENT)).toBe('<p>event 3</p>');
  });

  it('keeps a language apart from another and leaves credentials out of it', async () => {
    const before = ran(EVENT);
    await get(`${EVENT}?lang=en`);
    await get(`${EVENT}?lang=en`);
    await get(EVENT, { 'accept-language': 'en' });
    expect(ran(EVENT)).toBe(before + 2);
    await get(EVENT, { cookie: 'sh_session=abc' });
    await get(EVENT, { authorization: 'Bearer some-token' });
    expect(ran(EVENT)).toBe(before + 4);
    // Another site's cookies (the park's analytics on the parent domain) change nothing: the cached answer.
    await get(EVENT, { cookie: '_ga=GA1.2.345; theme=dark' });
    await get(EVENT, { cookie: 'session_sh_=1' });
    expect(ran(EVENT)).toBe(before + 4);
    // Any cookie of the app's own among them does.
    await get(EVENT, { cookie: '_ga=GA1.2.345; sh_csrf=x' });
    await get(EVENT, { cookie: 'sh_lang=en' });
    expect(ran(EVENT)).toBe(before + 6);
  });

  it('never keeps an answer with Set-Cookie, a no-store answer, a streamed one, or a personal page', async () => {
    for (const path of ['/events', '/api/events', '/api/events/2f1c7a52-3d0e-4c59-9a51-1f7f2b8f0c11', '/r/some-token']) {
      await get(path);
      await get(path);
    }
    expect(['/events', '/api/events', '/api/events/2f1c7a52-3d0e-4c59-9a51-1f7f2b8f0c11', '/r/some-token'].map(ran)).toEqual([2, 2, 2, 2]);
    expect(await get('/api/events/2f1c7a52-3d0e-4c59-9a51-1f7f2b8f0c11')).toBe('{"streamed":true}');
  });
});
