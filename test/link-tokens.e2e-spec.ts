import { randomUUID } from 'node:crypto';
import { LinkTokensService, hashToken } from '../src/link-tokens/link-tokens.service';
import { client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/** The one token service, on the real database: random, hashed at rest, bound to a purpose, expiring. */
describe('link tokens', () => {
  let t: TestApp;
  let tokens: LinkTokensService;
  let nearEvent: string;
  let farEvent: string;

  beforeAll(async () => {
    t = await startTestApp({ queue: 'postgres' });
    tokens = t.app.get(LinkTokensService);
    const api = client(t.url, t.adminToken);
    const make = async (startsAt: string, endsAt: string) =>
      (await api.post('/api/events', { title: 'Token test', type: 'sig_meeting', startsAt, endsAt, hostClusters: ['IMT'] })).body.id as string;
    const soon = new Date(Date.now() + 3 * 24 * 3600_000);
    nearEvent = await make(soon.toISOString(), new Date(soon.getTime() + 3600_000).toISOString());
    farEvent = await make('2028-06-01T10:00:00+09:00', '2028-06-01T12:00:00+09:00');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stores only the SHA-256 of a 256-bit token, the same for one mail and purpose on every attempt', async () => {
    const messageKey = randomUUID();
    const raw = await tokens.mint(messageKey, 'manage_registration', { eventId: nearEvent });
    expect(raw).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await t.db.query(`SELECT token_hash FROM link_tokens WHERE token_hash = $1`, [hashToken(raw)]);
    expect(rows.rowCount).toBe(1);
    const leaked = await t.db.query(`SELECT count(*)::int AS n FROM link_tokens WHERE token_hash = $1 OR token_hash LIKE '%' || $1 || '%'`, [raw]);
    expect(leaked.rows[0].n).toBe(0);
    const second = await tokens.mint(randomUUID(), 'manage_registration', { eventId: nearEvent });
    expect(second).not.toBe(raw);
    // A retried send of the same mail: the same link, still one stored row.
    expect(await tokens.mint(messageKey, 'manage_registration', { eventId: nearEvent })).toBe(raw);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM link_tokens WHERE token_hash = $1`, [hashToken(raw)])).rows[0].n).toBe(1);
    expect(await tokens.mint(messageKey, 'unsubscribe', { eventId: nearEvent })).not.toBe(raw);
  });

  it('knows a valid token, refuses unknown and malformed ones, and reports expiry', async () => {
    const raw = await tokens.mint(randomUUID(), 'confirm_registration', { eventId: nearEvent });
    const check = await tokens.check(raw);
    expect(check).toMatchObject({ ok: true, token: { purpose: 'confirm_registration', eventId: nearEvent } });
    expect(await tokens.check(`${raw.slice(0, -1)}${raw.endsWith('A') ? 'B' : 'A'}`)).toEqual({ ok: false, reason: 'unknown' });
    expect(await tokens.check('short')).toEqual({ ok: false, reason: 'unknown' });
    await t.db.query(`UPDATE link_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [hashToken(raw)]);
    expect(await tokens.check(raw)).toEqual({ ok: false, reason: 'expired' });
  });

  it('lives LINK_TOKEN_TTL_HOURS, and at least until a day after its event ends', async () => {
    const near = await tokens.mint(randomUUID(), 'manage_registration', { eventId: nearEvent });
    const far = await tokens.mint(randomUUID(), 'manage_registration', { eventId: farEvent });
    const expiry = async (raw: string) =>
      (await t.db.query(`SELECT expires_at FROM link_tokens WHERE token_hash = $1`, [hashToken(raw)])).rows[0].expires_at as Date;
    const ttlMs = t.config.tokenTtlHours * 3600_000;
    expect(Math.abs((await expiry(near)).getTime() - (Date.now() + ttlMs))).toBeLessThan(60_000);
    expect((await expiry(far)).toISOString()).toBe('2028-06-02T03:00:00.000Z');
  });

  it('opens nothing on the registration pages with a token of another purpose', async () => {
    const raw = await tokens.mint(randomUUID(), 'check_in', { eventId: nearEvent });
    const page = await fetch(`${t.url}/r/${raw}`);
    expect(page.status).toBe(404);
  });
});
