import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('starts with no environment at all, on the embedded defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ role: 'all', port: 3000, publicUrl: 'http://localhost:3000', adminTokenGenerated: true });
    expect(config.database.url).toBeUndefined();
    expect(config.queue.redisUrl).toBeUndefined();
    expect(config.mail.smtpUrl).toBeUndefined();
    expect(config.adminToken.length).toBeGreaterThanOrEqual(16);
  });

  it('parses numbers for real and reports every problem at once', () => {
    try {
      loadConfig({ PORT: '3000abc', ROLE: 'both', DATABASE_URL: 'mysql://x', WORKER_CONCURRENCY: '0', ADMIN_TOKEN: 'short' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('PORT must be a whole number');
      expect(problems).toContain('ROLE must be one of all, api, worker');
      expect(problems).toContain('DATABASE_URL must start with postgres:// or postgresql://');
      expect(problems).toContain('WORKER_CONCURRENCY must be a whole number from 1 to 100');
      expect(problems).toContain('ADMIN_TOKEN must be at least 16 characters');
    }
  });

  it('keeps public pages 2 s by default (PUBLIC_PAGE_CACHE_MS), 0 turns the cache off, and refuses what is no duration', () => {
    expect(loadConfig({}).publicPageCacheMs).toBe(2000);
    expect(loadConfig({ PUBLIC_PAGE_CACHE_MS: '0' }).publicPageCacheMs).toBe(0);
    expect(() => loadConfig({ PUBLIC_PAGE_CACHE_MS: '2s' })).toThrow(/PUBLIC_PAGE_CACHE_MS must be a whole number from 0 to 60000 \(got "2s"\)/);
  });

  it('waits 10 s for a pooled database connection by default (DATABASE_POOL_WAIT_MS), and refuses what is no duration', () => {
    expect(loadConfig({}).database.poolWaitMs).toBe(10_000);
    expect(loadConfig({ DATABASE_POOL_WAIT_MS: '60000' }).database.poolWaitMs).toBe(60_000);
    expect(() => loadConfig({ DATABASE_POOL_WAIT_MS: '0' })).toThrow(/DATABASE_POOL_WAIT_MS must be a whole number from 100 to 600000 \(got "0"\)/);
  });

  it('refuses a no-reply cluster office address: calendar replies go there', () => {
    expect(() => loadConfig({ CLUSTER_OFFICE_EMAIL_ICT: 'noreply@park.example' })).toThrow(/CLUSTER_OFFICE_EMAIL_ICT .*not a no-reply/);
  });

  it('makes no throw-away admin token in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/ADMIN_TOKEN must be set in production/);
  });

  it('refuses to start in production without SMTP_URL, unless the file outbox is asked for by name', () => {
    const production = { NODE_ENV: 'production', ADMIN_TOKEN: 'a-production-token-of-length' };
    expect(() => loadConfig(production)).toThrow(/SMTP_URL must be set in production.*MAIL_FILE_OUTBOX=true/);
    expect(loadConfig({ ...production, SMTP_URL: 'smtp://mail:25' }).mail.smtpUrl).toBe('smtp://mail:25');
    expect(loadConfig({ ...production, MAIL_FILE_OUTBOX: 'true' }).mail).toMatchObject({ smtpUrl: undefined, fileOutboxRequested: true });
    // The string "false" is not true, and a typo is a problem, not a yes.
    expect(() => loadConfig({ ...production, MAIL_FILE_OUTBOX: 'false' })).toThrow(/SMTP_URL must be set in production/);
    expect(() => loadConfig({ ...production, MAIL_FILE_OUTBOX: 'yes please' })).toThrow(/MAIL_FILE_OUTBOX must be true or false/);
  });

  it('takes a LINK_SECRET of at least 32 characters', () => {
    expect(loadConfig({}).linkSecret).toBeUndefined();
    expect(loadConfig({ LINK_SECRET: 'x'.repeat(32) }).linkSecret).toBe('x'.repeat(32));
    expect(() => loadConfig({ LINK_SECRET: 'too-short' })).toThrow(/LINK_SECRET must be at least 32 characters/);
  });

  it('trims the public URL and keeps the given services', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://seminars.example.org/', REDIS_URL: 'redis://127.0.0.1:6379', SMTP_URL: 'smtp://mail:25' });
    expect(config.publicUrl).toBe('https://seminars.example.org');
    expect(config.queue.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.mail.smtpUrl).toBe('smtp://mail:25');
  });

  describe('DKIM', () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

    it('is off when none of the variables is set', () => {
      expect(loadConfig({}).mail.dkim).toBeUndefined();
    });

    it('takes the key inline (real line breaks or \\n) or from a file', () => {
      const inline = loadConfig({ DKIM_DOMAIN: 'example.org', DKIM_SELECTOR: 'hub2026', DKIM_PRIVATE_KEY: pem.replace(/\n/g, '\\n') });
      expect(inline.mail.dkim).toEqual({ domainName: 'example.org', keySelector: 'hub2026', privateKey: pem });
      const file = join(mkdtempSync(join(tmpdir(), 'dkim-')), 'key.pem');
      writeFileSync(file, pem);
      expect(loadConfig({ DKIM_DOMAIN: 'example.org', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY_FILE: file }).mail.dkim?.privateKey).toBe(pem);
    });

    it('wants all three or none, and names what is missing', () => {
      expect(() => loadConfig({ DKIM_DOMAIN: 'example.org' })).toThrow(/missing: DKIM_SELECTOR, DKIM_PRIVATE_KEY \(or DKIM_PRIVATE_KEY_FILE\)/);
      expect(() => loadConfig({ DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY: pem })).toThrow(/missing: DKIM_DOMAIN$/m);
    });

    it('refuses a key that is not a PEM private key, an unreadable file, or both ways at once, never echoing the key', () => {
      try {
        loadConfig({ DKIM_DOMAIN: 'example.org', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY: 'secret-not-a-key' });
        throw new Error('expected a ConfigError');
      } catch (error) {
        expect((error as ConfigError).problems).toEqual(['DKIM_PRIVATE_KEY is not a PEM private key']);
        expect((error as Error).message).not.toContain('secret-not-a-key');
      }
      expect(() => loadConfig({ DKIM_DOMAIN: 'example.org', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY_FILE: '/nonexistent/key.pem' })).toThrow(
        /DKIM_PRIVATE_KEY_FILE cannot be read \(ENOENT\)/,
      );
      expect(() => loadConfig({ DKIM_DOMAIN: 'example.org', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY: pem, DKIM_PRIVATE_KEY_FILE: '/x' })).toThrow(/both set/);
      expect(() => loadConfig({ DKIM_DOMAIN: 'not a domain', DKIM_SELECTOR: 's 1', DKIM_PRIVATE_KEY: pem })).toThrow(
        /DKIM_DOMAIN must be a domain name[\s\S]*DKIM_SELECTOR must be/,
      );
    });
  });
});
