import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '../config/app-config';
import { rateLimitClass } from './public-rate-limit.guard';
import { RateLimitStorage } from './rate-limit.storage';

describe('rate limits', () => {
  const env = { ADMIN_TOKEN: 'a-long-enough-admin-token' };

  it('reads the limits from the environment: 20 writes and 300 reads a minute by default, 0 turns one off', () => {
    expect(loadConfig(env).rateLimit).toEqual({ publicWritesPerMinute: 20, publicReadsPerMinute: 300 });
    expect(loadConfig({ ...env, RATE_LIMIT_PUBLIC_WRITES_PER_MINUTE: '0', RATE_LIMIT_PUBLIC_READS_PER_MINUTE: '1000' }).rateLimit).toEqual({
      publicWritesPerMinute: 0,
      publicReadsPerMinute: 1000,
    });
  });

  it('refuses a limit that is not a whole number in range, naming the variable', () => {
    try {
      loadConfig({ ...env, RATE_LIMIT_PUBLIC_WRITES_PER_MINUTE: '-1', RATE_LIMIT_PUBLIC_READS_PER_MINUTE: 'lots' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'RATE_LIMIT_PUBLIC_WRITES_PER_MINUTE must be a whole number from 0 to 1000000 (got "-1")',
        'RATE_LIMIT_PUBLIC_READS_PER_MINUTE must be a whole number from 0 to 1000000 (got "lots")',
      ]);
    }
  });

  it('reads TRUST_PROXY, whose X-Forwarded-For decides the client address: loopback by default, hops or addresses', () => {
    expect(loadConfig(env).trustProxy).toBe('loopback');
    expect(loadConfig({ ...env, TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ ...env, TRUST_PROXY: 'loopback, uniquelocal, 203.0.113.0/24, ::1' }).trustProxy).toBe('loopback, uniquelocal, 203.0.113.0/24, ::1');
    for (const bad of ['true', '*', '10.0.0.0/33', 'example.com', '10.0.0.1/8/1']) {
      expect(() => loadConfig({ ...env, TRUST_PROXY: bad })).toThrow(/TRUST_PROXY must be a number of proxy hops/);
    }
  });

  it('counts anything but a read as writes, the emailed-link pages apart (their failures count), and leaves /health alone', () => {
    expect(rateLimitClass({ method: 'POST', path: '/api/events/x/registrations' })).toBe('writes');
    expect(rateLimitClass({ method: 'POST', path: '/events/x/registrations' })).toBe('writes');
    expect(rateLimitClass({ method: 'GET', path: '/r/token' })).toBe('links');
    expect(rateLimitClass({ method: 'POST', path: '/r/token' })).toBe('links');
    expect(rateLimitClass({ method: 'GET', path: '/u/token' })).toBe('links');
    expect(rateLimitClass({ method: 'POST', path: '/u/token' })).toBe('links');
    expect(rateLimitClass({ method: 'PATCH', path: '/api/events/x' })).toBe('writes');
    expect(rateLimitClass({ method: 'GET', path: '/api/events' })).toBe('reads');
    expect(rateLimitClass({ method: 'HEAD', path: '/events/x' })).toBe('reads');
    expect(rateLimitClass({ method: 'GET', path: '/api/clusters/ICT/calendar.ics' })).toBe('reads');
    expect(rateLimitClass({ method: 'GET', path: '/health' })).toBe('none');
  });

  it('blocks a key for the window once its strikes pass the limit, in memory without Redis', async () => {
    const storage = new RateLimitStorage(loadConfig(env));
    try {
      for (let n = 0; n < 3; n++) {
        expect(await storage.blockedFor('links:198.51.100.7')).toBe(0);
        await storage.strike('links:198.51.100.7', 3, 60_000);
      }
      await storage.strike('links:198.51.100.7', 3, 60_000);
      const wait = await storage.blockedFor('links:198.51.100.7');
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(60);
      expect(await storage.blockedFor('links:198.51.100.8')).toBe(0);
    } finally {
      await storage.onApplicationShutdown();
    }
  });

  it('counts in memory when Redis does not answer, rather than failing the request', async () => {
    const config = loadConfig({ ...env, REDIS_URL: 'redis://127.0.0.1:1', QUEUE_NAMESPACE: 'unit' });
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const storage = new RateLimitStorage(config);
    try {
      await storage.onModuleInit(); // gives up waiting for Redis after its connect timeout
      const hits = [];
      for (let n = 0; n < 3; n++) hits.push(await storage.increment('k', 60_000, 2, 60_000, 'default'));
      expect(hits.map((hit) => hit.isBlocked)).toEqual([false, false, true]);
      expect(hits[2].timeToBlockExpire).toBeGreaterThan(0);
      // Said once, not once a request.
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toMatch(/Redis/);
    } finally {
      await storage.onApplicationShutdown();
      warn.mockRestore();
    }
  });
});
