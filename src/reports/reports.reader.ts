import type { Principal } from '../auth/principal';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../common/errors/domain-errors';

/** The clusters a report covers: null for all (a federation admin), else a cluster organizer's own. */
export type ReportScope = string[] | null;

/** A federation admin's reports cover every cluster; a cluster organizer's their own. */
export function reportScopeOf(principal: Principal | null): ReportScope {
  return principal?.role === 'admin' ? null : (principal?.clusters ?? []);
}

export interface ParticipationCell {
  hostCluster: string;
  attendeeCluster: string | null;
  confirmed: number;
  checkedIn: number;
}

export interface CoverageRow {
  cluster: string;
  companies: number;
  companiesInSig: number;
  companiesWithoutSig: { id: string; name: string }[];
}

export interface GrowthRow {
  month: string;
  cluster: string;
  companies: number;
  members: number;
}

export interface AttendanceRow {
  seatId: string;
  label: string;
  cluster: string | null;
  company: string | null;
  delegate: string;
  substitute: string | null;
  meetings: number;
  attendedByDelegate: number;
  attendedBySubstitute: number;
  absent: number;
}
export interface FunnelRow {
  cluster: string;
  invited: number;
  registered: number;
  confirmed: number;
  checkedIn: number;
}

/**
 * The reports' SQL. The one documented exception to "SQL lives in the module that owns the
 * table": a report joins the tables of directory (clusters, companies, members, sig_companies),
 * events (events, event_clusters), registrations and notifications (outbox) — asking each owner
 * for a reader would split one number over several queries and lose its consistency. This reader
 * only reads; each number comes from one query, and every query is limited to the scope's clusters.
 */
@Injectable()
export class ReportsReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Confirmed and checked-in registrations of events (not cancelled) starting in [from, to), by host
   * cluster and attendee cluster: an event with two hosts counts under each. A cluster organizer
   * sees the rows of the hosts that are theirs.
   */
  participationMatrix(from: Date, to: Date, scope: ReportScope): Promise<ParticipationCell[]> {
    return this.dataSource.query<ParticipationCell[]>(
      `SELECT host.cluster_code AS "hostCluster", r.cluster_code AS "attendeeCluster",
              count(*)::int AS confirmed, count(r.checked_in_at)::int AS "checkedIn"
         FROM events e
         JOIN event_clusters host ON host.event_id = e.id AND host.role = 'host'
         JOIN clusters hc ON hc.code = host.cluster_code
         JOIN registrations r ON r.event_id = e.id AND r.status = 'confirmed'
         LEFT JOIN clusters ac ON ac.code = r.cluster_code
        WHERE e.status <> 'cancelled' AND e.starts_at >= $1 AND e.starts_at < $2
          AND ($3::text[] IS NULL OR host.cluster_code = ANY ($3::text[]))
        GROUP BY host.cluster_code, hc.sort_order, r.cluster_code, ac.sort_order
        ORDER BY hc.sort_order, ac.sort_order NULLS LAST`,
      [from, to, scope],
    );
  }

  /**
   * The confirmed registrations (each once, however many hosts its event has) with a known cluster,
   * of the same events, and how many of them came from a cluster that is not a host of their event.
   */
  async crossCluster(from: Date, to: Date, scope: ReportScope): Promise<{ cross: number; known: number }> {
    const [row] = await this.dataSource.query<{ cross: number; known: number }[]>(
      `SELECT count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM event_clusters h
                                                  WHERE h.event_id = r.event_id AND h.role = 'host' AND h.cluster_code = r.cluster_code))::int AS cross,
              count(*)::int AS known
         FROM registrations r
         JOIN events e ON e.id = r.event_id
        WHERE r.status = 'confirmed' AND r.cluster_code IS NOT NULL
          AND e.status <> 'cancelled' AND e.starts_at >= $1 AND e.starts_at < $2
          AND ($3::text[] IS NULL OR EXISTS (SELECT 1 FROM event_clusters h
                                              WHERE h.event_id = e.id AND h.role = 'host' AND h.cluster_code = ANY ($3::text[])))`,
      [from, to, scope],
    );
    return row;
  }

  /** Per cluster: its companies, how many belong to at least one SIG, and those that belong to none. */
  sigCoverage(scope: ReportScope): Promise<CoverageRow[]> {
    return this.dataSource.query<CoverageRow[]>(
      `SELECT cl.code AS cluster, count(c.id)::int AS companies,
              count(c.id) FILTER (WHERE in_sig.yes)::int AS "companiesInSig",
              coalesce(json_agg(json_build_object('id', c.id, 'name', c.name) ORDER BY c.name) FILTER (WHERE c.id IS NOT NULL AND NOT in_sig.yes), '[]')
                AS "companiesWithoutSig"
         FROM clusters cl
         LEFT JOIN companies c ON c.cluster_code = cl.code
         LEFT JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM sig_companies sc WHERE sc.company_id = c.id) AS yes) in_sig ON true
        WHERE $1::text[] IS NULL OR cl.code = ANY ($1::text[])
        GROUP BY cl.code, cl.sort_order
        ORDER BY cl.sort_order`,
      [scope],
    );
  }

  /**
   * Companies and members of each cluster at the end of each month from `fromMonth` to `toMonth`
   * (both `YYYY-MM`, inclusive), counted by created_at; months end at midnight in Seoul, the park's zone.
   */
  growth(fromMonth: string, toMonth: string, scope: ReportScope): Promise<GrowthRow[]> {
    return this.dataSource.query<GrowthRow[]>(
      `WITH months AS (
         SELECT m, to_char(m, 'YYYY-MM') AS month, (m + interval '1 month') AT TIME ZONE 'Asia/Seoul' AS month_end
           FROM generate_series(($1 || '-01')::timestamp, ($2 || '-01')::timestamp, interval '1 month') AS m
       )
       SELECT months.month, cl.code AS cluster,
              (SELECT count(*)::int FROM companies c WHERE c.cluster_code = cl.code AND c.created_at < months.month_end) AS companies,
              (SELECT count(*)::int FROM members mb WHERE mb.cluster_code = cl.code AND mb.created_at < months.month_end) AS members
         FROM months CROSS JOIN clusters cl
        WHERE $3::text[] IS NULL OR cl.code = ANY ($3::text[])
        ORDER BY months.m, cl.sort_order`,
      [fromMonth, toMonth, scope],
    );
  }

  /**
   * One event's funnel per cluster: members invited (the outbox's invitation rows, each member once,
   * by the member's cluster), registrations (any status), confirmed ones, and those checked in.
   */
  async funnel(eventId: string): Promise<FunnelRow[]> {
    const rows = await this.dataSource.query<(FunnelRow & { found: boolean })[]>(
      `SELECT cl.code AS cluster,
              EXISTS (SELECT 1 FROM events WHERE id = $1) AS found,
              (SELECT count(DISTINCT o.member_id)::int FROM outbox o JOIN members m ON m.id = o.member_id
                WHERE o.kind = 'invitation' AND o.event_id = $1 AND m.cluster_code = cl.code) AS invited,
              (SELECT count(*)::int FROM registrations r WHERE r.event_id = $1 AND r.cluster_code = cl.code) AS registered,
              (SELECT count(*)::int FROM registrations r WHERE r.event_id = $1 AND r.cluster_code = cl.code AND r.status = 'confirmed') AS confirmed,
              (SELECT count(*)::int FROM registrations r WHERE r.event_id = $1 AND r.cluster_code = cl.code AND r.checked_in_at IS NOT NULL) AS "checkedIn"
         FROM clusters cl
        ORDER BY cl.sort_order`,
      [eventId],
    );
    if (!rows[0]?.found) throw new NotFoundError('event');
    return rows.map(({ found: _found, ...row }) => row);
  }

  /** The clusters a standing body involves (its SIG's, its seats'), or null when there is no such body: who may see its report. */
  async bodyClusters(bodyId: string): Promise<string[] | null> {
    const rows = await this.dataSource.query<{ clusters: string[] }[]>(
      `SELECT array(SELECT unnest(sg.clusters)::text FROM sigs sg WHERE sg.id = b.sig_id
                    UNION SELECT coalesce(s.cluster_code, c.cluster_code) FROM body_seats s LEFT JOIN companies c ON c.id = s.company_id
                     WHERE s.body_id = b.id) AS clusters
         FROM bodies b WHERE b.id = $1`,
      [bodyId],
    );
    return rows[0]?.clusters ?? null;
  }

  /**
   * Each seat of a body over the meetings of a year (in Seoul) that have begun by `now`, cancelled
   * ones aside: attended by the delegate (checked in), else by the substitute, else absent. Seats
   * are read as they are now: a seat whose holder changed during the year is counted for today's.
   */
  attendance(bodyId: string, year: number, now: Date): Promise<AttendanceRow[]> {
    return this.dataSource.query<AttendanceRow[]>(
      `WITH meetings AS (
         SELECT e.id FROM body_meetings bm JOIN events e ON e.id = bm.event_id
          WHERE bm.body_id = $1 AND e.status <> 'cancelled' AND e.starts_at <= $3
            AND e.starts_at >= make_timestamptz($2, 1, 1, 0, 0, 0, 'Asia/Seoul')
            AND e.starts_at < make_timestamptz($2 + 1, 1, 1, 0, 0, 0, 'Asia/Seoul')
       )
       SELECT s.id AS "seatId", s.label, s.cluster_code AS cluster, c.name AS company, d.name AS delegate, sub.name AS substitute,
              count(m.id)::int AS meetings,
              count(m.id) FILTER (WHERE dr.id IS NOT NULL)::int AS "attendedByDelegate",
              count(m.id) FILTER (WHERE dr.id IS NULL AND sr.id IS NOT NULL)::int AS "attendedBySubstitute",
              count(m.id) FILTER (WHERE dr.id IS NULL AND sr.id IS NULL)::int AS absent
         FROM body_seats s
         JOIN members d ON d.id = s.delegate_id
         LEFT JOIN members sub ON sub.id = s.substitute_id
         LEFT JOIN companies c ON c.id = s.company_id
         LEFT JOIN meetings m ON true
         LEFT JOIN registrations dr ON dr.event_id = m.id AND lower(dr.email) = lower(d.email) AND dr.checked_in_at IS NOT NULL
         LEFT JOIN registrations sr ON sr.event_id = m.id AND lower(sr.email) = lower(sub.email) AND sr.checked_in_at IS NOT NULL
        WHERE s.body_id = $1
        GROUP BY s.id, s.label, s.cluster_code, c.name, d.name, sub.name, s.created_at
        ORDER BY s.created_at, s.label`,
      [bodyId, year, now],
    );
  }
}
