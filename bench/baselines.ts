/**
 * The bare baselines each phase of bench/run.ts is measured against, in the same run and on the
 * same machine: what the hardware does with no app in the way. Their figures move with the
 * machine's other load as the app's do, so the ratio app / bare is the figure to compare runs by.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import nodemailer, { SendMailOptions } from 'nodemailer';
import { Pool } from 'pg';

export interface BareRate {
  count: number;
  wallMs: number;
  perSecond: number;
  /** CPU time of this process (user + system) over the loop. */
  cpuMs: number;
  errors: number;
}

function rate(count: number, errors: number, t0: number, cpu: NodeJS.CpuUsage): BareRate {
  const wallMs = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  return {
    count,
    wallMs: Math.round(wallMs),
    perSecond: Math.round((count / wallMs) * 10_000) / 10,
    cpuMs: Math.round((used.user + used.system) / 1000),
    errors,
  };
}

/**
 * A pooled nodemailer transport sending the same pre-built message (the one the app composed for
 * one invitation: subject, text, HTML and the .ics) to `count` distinct recipients over
 * `connections` SMTP connections, `connections` sends in flight: the app's pipeline minus the
 * outbox, the relay, the queue and the rendering.
 */
export async function bareMailLoop(smtpUrl: string, message: SendMailOptions, count: number, connections: number): Promise<BareRate> {
  const url = new URL(smtpUrl);
  const transport = nodemailer.createTransport({ host: url.hostname, port: Number(url.port), pool: true, maxConnections: connections, maxMessages: Infinity });
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  let errors = 0;
  const lane = async () => {
    while (next < count) {
      const n = next++;
      await transport.sendMail({ ...message, to: `bare${n}@bare.bench.example`, messageId: `<bare-${n}@bench.example>` }).catch(() => errors++);
    }
  };
  await Promise.all(Array.from({ length: connections }, lane));
  const result = rate(count - errors, errors, t0, cpu);
  transport.close();
  return result;
}

/**
 * What one public registration must do in PostgreSQL, by hand with `pg`, with no HTTP, validation
 * or ORM: in one transaction, read the event row under a share lock (it must stay published while
 * the registration is written), insert the registration and its opt-in outbox row. `connections`
 * lanes share a pool of `poolSize` (the app's own pool size) for `durationMs`.
 */
export async function bareRegistrationLoop(databaseUrl: string, eventId: string, connections: number, poolSize: number, durationMs: number): Promise<BareRate> {
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize });
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + durationMs;
  let next = 0;
  let done = 0;
  let errors = 0;
  const lane = async () => {
    while (performance.now() < deadline) {
      const n = next++;
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(`SELECT status, starts_at, ends_at FROM events WHERE id = $1 FOR SHARE`, [eventId]);
        const email = `bare${n}@rush.bench.example`;
        const inserted = await client.query<{ id: string }>(
          `INSERT INTO registrations (event_id, email, name, company, status, source) VALUES ($1, $2, $3, 'Outside Co', 'pending_confirmation', 'public')
           ON CONFLICT (event_id, lower(email)) DO NOTHING RETURNING id`,
          [eventId, email, `Bare ${n}`],
        );
        await client.query(
          `INSERT INTO outbox (kind, dedupe_key, event_id, registration_id, recipient, locale, payload, status)
           VALUES ('registration_opt_in', $1, $2, $3, $4, 'ko', '{}'::jsonb, 'skipped')`,
          [`bare_opt_in:${inserted.rows[0].id}`, eventId, inserted.rows[0].id, email],
        );
        await client.query('COMMIT');
        done++;
      } catch {
        errors++;
        await client.query('ROLLBACK').catch(() => undefined);
      } finally {
        client.release();
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, lane));
  const result = rate(done, errors, t0, cpu);
  await pool.end();
  return result;
}

/** A bare node:http server answering every request with the same status, headers and bytes. */
export async function bareHttpServer(answer: { status: number; contentType: string; body: Buffer }): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': answer.body.length });
    res.end(answer.body);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
