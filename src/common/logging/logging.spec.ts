import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pinoHttp, { Options } from 'pino-http';
import type { DestinationStream } from 'pino';
import { loggableUrl, loggerParams } from './logging';

describe('request logging', () => {
  let server: Server;
  let base: string;
  const lines: Record<string, any>[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, any>);
        done();
      },
    });
    const [options, stream] = loggerParams({ logLevel: 'info' }, sink).pinoHttp as [Options, DestinationStream];
    const middleware = pinoHttp(options, stream);
    server = createServer((request, response) => {
      middleware(request, response);
      response.setHeader('Set-Cookie', 'sh_session=secret-session; HttpOnly');
      response.statusCode = request.url === '/boom' ? 500 : 200;
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function logged(path: string, headers: Record<string, string> = {}) {
    const before = lines.length;
    const response = await fetch(`${base}${path}`, { headers });
    await response.text();
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { response, line: lines.slice(before)[0] };
  }

  it('writes one JSON line per request with its id, echoed as X-Request-Id, and keeps a sane incoming id', async () => {
    const fresh = await logged('/events');
    const id = fresh.response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(fresh.line).toMatchObject({ level: 30, req: { id, method: 'GET', url: '/events' }, res: { statusCode: 200 }, msg: 'request completed' });

    const kept = await logged('/events', { 'x-request-id': 'lb-1234.abc' });
    expect(kept.response.headers.get('x-request-id')).toBe('lb-1234.abc');
    expect(kept.line.req.id).toBe('lb-1234.abc');
    const replaced = await logged('/events', { 'x-request-id': 'bad id with spaces <script>' });
    expect(replaced.response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('redacts the Authorization header, cookies, Set-Cookie and the token paths', async () => {
    const { line } = await logged('/r/SECRETLINKTOKEN123?x=1', { authorization: 'Bearer admin-secret-token', cookie: 'sh_session=abc; sh_csrf=def' });
    const text = JSON.stringify(line);
    expect(line.req.url).toBe('/r/[redacted]');
    expect(line.req.headers.authorization).toBe('[redacted]');
    expect(line.req.headers.cookie).toBe('[redacted]');
    expect(line.res.headers['set-cookie']).toBe('[redacted]');
    for (const secret of ['SECRETLINKTOKEN123', 'admin-secret-token', 'abc', 'secret-session']) expect(text).not.toContain(secret);
  });

  it('logs a 5xx as an error, and nothing for the health probes', async () => {
    expect((await logged('/boom')).line).toMatchObject({ level: 50 });
    expect((await logged('/health/ready')).line).toBeUndefined();
  });

  it('rewrites every path that carries a personal token, and leaves others alone', () => {
    expect(loggableUrl('/u/tok123')).toBe('/u/[redacted]');
    expect(loggableUrl('/console/sign-in/tok123')).toBe('/console/sign-in/[redacted]');
    expect(loggableUrl('/feeds/tok123.ics')).toBe('/feeds/[redacted]');
    expect(loggableUrl('/console/sign-in')).toBe('/console/sign-in');
    expect(loggableUrl('/api/events/42/deliveries?status=failed')).toBe('/api/events/42/deliveries?status=failed');
  });
});
