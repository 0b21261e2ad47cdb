import { client } from './support/http';
import { waitUntil } from './support/mailbox';
import { testServices } from './support/services';
import { RedisServer } from './support/redis-server';
import { TcpProxy } from './support/tcp-proxy';
import { QueueBackend, startTestApp, TestApp } from './support/test-app';

/**
 * PostgreSQL unreachable (issue 11): the app reaches it through a proxy the test cuts and restores.
 * Health and readiness say 503, writes answer a 503 naming the database (never a 500, nothing half
 * written), liveness stays 200, and when the database is back everything works again with no restart.
 * On both queue backends: on PostgreSQL's (the embedded default) the queue itself goes through the
 * proxy and is cut too; Redis is one of the test's own (production's shape). Both always run: the
 * PostgreSQL one needs no REDIS_URL.
 */
describe.each<QueueBackend>(['postgres', 'redis'])('PostgreSQL unreachable (queue on %s)', (queue) => {
  let t: TestApp;
  let proxy: TcpProxy;
  let api: ReturnType<typeof client>;
  let redis: RedisServer | undefined;

  const event = (title: string) => ({
    title,
    type: 'seminar',
    startsAt: '2027-09-01T10:00:00+09:00',
    endsAt: '2027-09-01T12:00:00+09:00',
    hostClusters: ['GREEN_IT'],
    audienceClusters: ['GREEN_IT'],
  });

  beforeAll(async () => {
    const target = new URL(testServices().databaseUrl);
    proxy = await new TcpProxy(target.hostname, Number(target.port || 5432)).start();
    if (queue === 'redis') redis = await RedisServer.start();
    t = await startTestApp({ queue, redisUrl: redis?.url, appDatabaseUrl: (url) => proxy.route(url) });
    api = client(t.url, t.adminToken);
  });
  afterAll(async () => {
    await proxy.start().catch(() => undefined);
    await t?.close();
    await proxy.cut();
    await redis?.remove();
  });

  it('answers 503 on health, readiness and writes while it is away, and recovers by itself when it is back', async () => {
    expect((await api.post('/api/members', { email: 'green@eco.example', name: 'Green', company: 'Eco', clusterCode: 'GREEN_IT' })).status).toBe(201);
    expect((await api.post('/api/events', event('Before the outage'))).status).toBe(201);

    await proxy.cut();
    const health = await api.get('/health');
    expect([health.status, health.body]).toEqual([
      503,
      expect.objectContaining({ status: 'unavailable', checks: expect.objectContaining({ database: 'down' }) }),
    ]);
    const ready = await api.get('/health/ready');
    expect([ready.status, ready.body.error]).toEqual([503, expect.objectContaining({ database: expect.objectContaining({ status: 'down' }) })]);
    // Liveness checks no dependency: an orchestrator must not restart every api because the database is away.
    expect((await api.get('/health/live')).status).toBe(200);

    const write = await api.post('/api/events', event('During the outage'));
    expect([write.status, write.body, write.headers.get('retry-after')]).toEqual([
      503,
      { statusCode: 503, error: 'Service Unavailable', message: [expect.stringContaining('database is unavailable')] },
      '5',
    ]);
    const publicWrite = await api.post('/api/events/00000000-0000-4000-8000-000000000000/registrations', { email: 'a@b.example', name: 'A' }, { token: null });
    expect(publicWrite.status).toBe(503);

    await proxy.start();
    await waitUntil(async () => (await api.get('/health')).status === 200, 'health to come back', 30_000);
    const after = await api.post('/api/events', event('After the outage'));
    expect(after.status).toBe(201);
    // Nothing of the refused write was stored.
    expect((await t.db.query(`SELECT title FROM events ORDER BY created_at`)).rows.map((row) => row.title)).toEqual(['Before the outage', 'After the outage']);

    // The relay and the worker carry on by themselves: an invitation goes out.
    expect((await api.post(`/api/events/${after.body.id}/publish`)).status).toBe(200);
    expect((await api.post(`/api/events/${after.body.id}/invitations`, {})).body).toEqual({ queued: 1 });
    await t.mailbox.waitFor(() => t.mailbox.to('green@eco.example').length === 1, 'the invitation after the outage', 60_000);
  });
});
