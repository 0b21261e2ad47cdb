/**
 * Reports bench: `npm run bench:reports`. Issue 10's scale — 5,000 companies with 20,000 members
 * imported through POST /api/members/import, and a year of 500 events with 50,000 registrations
 * (inserted with SQL in bulk: registrations of the past are data here, not a flow under test) —
 * then each report answered over HTTP, timed next to a bare baseline measured in the same run: a
 * `SELECT count(*)` over the same registrations table through `pg`. See bench/README.md.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client as PgClient } from 'pg';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { client } from '../test/support/http';
import { assertPostgresReachable } from '../test/support/services';
import { startTestApp, TestApp } from '../test/support/test-app';

const COMPANIES = 5_000;
const MEMBERS = 20_000;
const EVENTS = 500;
const REGISTRATIONS = 50_000;
const SIGS = 50;
const RUNS = 7;
const YEAR = 2026;
const CLUSTERS = ['ICT', 'IMT', 'DC', 'GREEN_IT'];
const KEYWORDS = ['인공지능', '빅데이터', '메타버스', '스마트팩토리', '탄소중립', '드론', '게임', '보안', '클라우드', 'Machine Learning', 'IoT', '반도체'];

/** The median of `RUNS` timed calls after one warm-up call, in milliseconds. */
async function median(work: () => Promise<unknown>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function memberCsv(): string {
  const lines = ['email,name,company,cluster,locale'];
  for (let i = 0; i < MEMBERS; i++) {
    const company = i % COMPANIES;
    lines.push(`m${i}@c${company}.example,회원 ${i},기업 ${company},${CLUSTERS[company % CLUSTERS.length]},${i % 3 === 0 ? 'en' : 'ko'}`);
  }
  return lines.join('\r\n') + '\r\n';
}

/** Keywords, SIGs, a year of events with registrations and check-ins, and a committee with its meetings, in bulk SQL. */
async function seed(db: PgClient): Promise<{ eventId: string; bodyId: string }> {
  await db.query(`UPDATE companies SET keywords = ARRAY[($1::text[])[1 + (abs(hashtext(name)) % $2)], ($1::text[])[1 + (abs(hashtext(name || 'x')) % $2)]]`, [
    KEYWORDS,
    KEYWORDS.length,
  ]);
  await db.query(
    `INSERT INTO sigs (name, keywords, clusters)
     SELECT 'SIG ' || g, ARRAY[($1::text[])[1 + g % $2]], ARRAY[($3::text[])[1 + g % 4], ($3::text[])[1 + (g + 1) % 4]]::varchar[]
       FROM generate_series(1, $4) AS g`,
    [KEYWORDS, KEYWORDS.length, CLUSTERS, SIGS],
  );
  // Each SIG takes 40 companies of its clusters; three companies in four end up in one.
  await db.query(
    `INSERT INTO sig_companies (sig_id, company_id)
     SELECT s.id, c.id FROM sigs s
       CROSS JOIN LATERAL (SELECT id FROM companies c WHERE c.cluster_code = ANY (s.clusters) ORDER BY md5(c.id::text || s.id::text) LIMIT 40) c
     ON CONFLICT DO NOTHING`,
  );
  await db.query(
    `INSERT INTO events (uid, type, title, starts_at, ends_at, status, keywords, reminder_offsets_minutes)
     SELECT 'bench-' || g || '@seminarhub', 'seminar', '세미나 ' || g, t, t + interval '2 hours', 'published',
            ARRAY[($1::text[])[1 + g % $2], ($1::text[])[1 + (g * 7) % $2]], '{}'
       FROM generate_series(1, $3) AS g,
            LATERAL (SELECT make_timestamptz($4, 1, 1, 14, 0, 0, 'Asia/Seoul') + (g * interval '17 hours 31 minutes') AS t) AS starts`,
    [KEYWORDS, KEYWORDS.length, EVENTS, YEAR],
  );
  await db.query(
    `INSERT INTO event_clusters (event_id, cluster_code, role)
     SELECT e.id, c.code, 'host' FROM events e JOIN clusters c ON c.sort_order % 4 = abs(hashtext(e.uid)) % 4
     UNION ALL
     SELECT e.id, c.code, 'audience' FROM events e CROSS JOIN clusters c`,
  );
  // 100 registrations per event from members spread over the park; most confirmed, a third of those checked in.
  await db.query(
    `INSERT INTO registrations (event_id, email, member_id, name, company, cluster_code, status, source, confirmed_at, checked_in_at)
     SELECT e.id, m.email, m.id, m.name, c.name, m.cluster_code,
            CASE WHEN k % 10 = 0 THEN 'cancelled' WHEN k % 10 = 1 THEN 'pending_confirmation' ELSE 'confirmed' END,
            'invitation', e.starts_at - interval '3 days',
            CASE WHEN k % 3 = 0 AND k % 10 > 1 THEN e.starts_at END
       FROM (SELECT id, starts_at, row_number() OVER (ORDER BY starts_at) AS n FROM events WHERE uid LIKE 'bench-%') e
       CROSS JOIN generate_series(0, $1 - 1) AS k
       JOIN members m ON m.email = 'm' || ((e.n * 397 + k * 199) % $2) || '@c' || (((e.n * 397 + k * 199) % $2) % $3) || '.example'
       JOIN companies c ON c.id = m.company_id`,
    [REGISTRATIONS / EVENTS, MEMBERS, COMPANIES],
  );
  const [{ id: eventId }] = (await db.query<{ id: string }>(`SELECT id FROM events WHERE uid = 'bench-250@seminarhub'`)).rows;
  // The joint committee: a seat per cluster, monthly meetings (12 of the events), its delegates checked in at most.
  const [{ id: bodyId }] = (await db.query<{ id: string }>(`INSERT INTO bodies (name, kind) VALUES ('공동 운영위원회', 'committee') RETURNING id`)).rows;
  await db.query(
    `INSERT INTO body_seats (body_id, label, cluster_code, delegate_id, substitute_id)
     SELECT $1, cl.code, cl.code,
            (SELECT id FROM members WHERE cluster_code = cl.code ORDER BY email LIMIT 1),
            (SELECT id FROM members WHERE cluster_code = cl.code ORDER BY email OFFSET 1 LIMIT 1)
       FROM clusters cl`,
    [bodyId],
  );
  await db.query(
    `INSERT INTO body_meetings (body_id, event_id) SELECT $1, id FROM events WHERE uid LIKE 'bench-%' AND split_part(substring(uid from 7), '@', 1)::int % 40 = 0`,
    [bodyId],
  );
  await db.query(
    `INSERT INTO registrations (event_id, email, member_id, name, cluster_code, status, source, checked_in_at)
     SELECT bm.event_id, m.email, m.id, m.name, m.cluster_code, 'confirmed', 'invitation', CASE WHEN abs(hashtext(m.email || bm.event_id::text)) % 3 > 0 THEN now() END
       FROM body_meetings bm JOIN body_seats s ON s.body_id = bm.body_id JOIN members m ON m.id IN (s.delegate_id, s.substitute_id)
     ON CONFLICT DO NOTHING`,
  );
  // As autovacuum would have by the time anyone asks for a report: statistics and the visibility map (index-only scans).
  await db.query(`VACUUM ANALYZE`);
  return { eventId, bodyId };
}

async function main(): Promise<void> {
  let embedded: { handle: EmbeddedPostgresHandle; dir: string } | undefined;
  let t: TestApp | undefined;
  try {
    if (!process.env.DATABASE_URL) {
      const dir = await mkdtemp(join(os.tmpdir(), 'seminarhub-bench-pg-'));
      embedded = { handle: await startEmbeddedPostgres(dir, Number(process.env.BENCH_EMBEDDED_PG_PORT ?? 54349), 'postgres'), dir };
      process.env.DATABASE_URL = embedded.handle.url;
      console.log('bench:reports: embedded PostgreSQL (DATABASE_URL not set)');
    }
    await assertPostgresReachable(process.env.DATABASE_URL);
    // The reports need no queue traffic: the PostgreSQL backend keeps the run free of Redis.
    t = await startTestApp({ queue: 'postgres', env: { LOG_LEVEL: 'silent' } });
    const api = client(t.url, t.adminToken);

    const csv = memberCsv();
    const importStart = performance.now();
    const imported = await api.post('/api/members/import', csv, { contentType: 'text/csv; charset=utf-8' });
    const importMs = performance.now() - importStart;
    if (imported.status !== 200 || imported.body.created !== MEMBERS)
      throw new Error(`import failed: ${imported.status} ${JSON.stringify(imported.body).slice(0, 300)}`);
    const companies = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM companies`)).rows[0].n;
    console.log(
      `import: ${MEMBERS} members of ${companies} companies in ${(importMs / 1000).toFixed(2)} s (${Math.round(MEMBERS / (importMs / 1000))} rows/s)`,
    );

    const seedStart = performance.now();
    const { eventId, bodyId } = await seed(t.db);
    const counts = (
      await t.db.query<{ events: number; registrations: number }>(
        `SELECT (SELECT count(*)::int FROM events) AS events, (SELECT count(*)::int FROM registrations) AS registrations`,
      )
    ).rows[0];
    console.log(
      `seed (bulk SQL): ${counts.events} events, ${counts.registrations} registrations, ${SIGS} SIGs, 1 body in ${((performance.now() - seedStart) / 1000).toFixed(2)} s`,
    );

    const baseline = await median(() => t!.db.query(`SELECT count(*) FROM registrations`));
    const get = async (path: string) => {
      const answer = await api.get(path);
      if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${answer.text.slice(0, 200)}`);
      return answer;
    };
    const reports: [string, string][] = [
      ['participation (a year)', `/api/reports/participation?from=${YEAR}-01-01&to=${YEAR + 1}-01-01`],
      ['sig-coverage', '/api/reports/sig-coverage'],
      ['growth (12 months)', `/api/reports/growth?from=${YEAR}-01&to=${YEAR}-12`],
      ['funnel (one event)', `/api/events/${eventId}/funnel`],
      ['attendance (a year)', `/api/reports/attendance?bodyId=${bodyId}&year=${YEAR}`],
      ['suggestions (one event)', `/api/events/${eventId}/suggestions`],
    ];
    console.log(`\nmedian of ${RUNS} runs after a warm-up; baseline = SELECT count(*) FROM registrations through pg: ${baseline.toFixed(2)} ms\n`);
    console.log(`${'report'.padEnd(26)}${'ms'.padStart(9)}${'× baseline'.padStart(12)}  answer`);
    for (const [name, path] of reports) {
      const size = (await get(path)).text.length;
      const ms = await median(() => get(path));
      console.log(`${name.padEnd(26)}${ms.toFixed(1).padStart(9)}${(ms / baseline).toFixed(1).padStart(12)}  ${size} bytes`);
    }
  } finally {
    await t?.close();
    if (embedded) {
      await embedded.handle.stop();
      await rm(embedded.dir, { recursive: true, force: true });
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
