import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** One keyword that resembled one of the event's: from the member's company, or from a SIG their company is in. */
export interface KeywordMatch {
  source: 'company' | 'sig';
  /** The SIG's name, for a SIG keyword. */
  sig: string | null;
  keyword: string;
  eventKeyword: string;
  similarity: number;
}

export interface SuggestionRow {
  memberId: string;
  name: string;
  company: string;
  cluster: string;
  score: number;
  matches: KeywordMatch[];
}

/**
 * Resemblance (keyword_resemblance, see the EventKeywords migration) from which two keys count as
 * the same subject: trigram similarity, or the share of a key that another begins with. 0.4 keeps
 * "인공지능을" against "인공지능" (0.8) and drops chance overlaps ("AI" against "AIRLINE": 0.29).
 */
export const KEYWORD_SIMILARITY_THRESHOLD = 0.4;
/** A company's own keywords say what it does; a SIG's say what a group of companies shares: half the weight. */
const COMPANY_WEIGHT = 2;
const SIG_WEIGHT = 1;

/**
 * Suggested invitees, in one query (reports' reader rule: it reads directory, events,
 * registrations and the outbox together). Keys (keyword_key: lower case, no spaces or
 * punctuation) are compared by keyword_resemblance; both live in the EventKeywords migration.
 */
@Injectable()
export class SuggestionsReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Members of companies outside the event's host clusters whose company or SIG keywords resemble
   * the event's, best first. Left out, because inviting them is no news or impossible: members
   * already invited to the event or registered for it, and addresses on the suppression list.
   */
  suggest(eventId: string, limit: number): Promise<SuggestionRow[]> {
    return this.dataSource.query<SuggestionRow[]>(
      `WITH event_keywords AS MATERIALIZED (
         SELECT DISTINCT ON (keyword_key(k)) k AS keyword, keyword_key(k) AS key
           FROM events e, unnest(e.keywords) AS k
          WHERE e.id = $1 AND keyword_key(k) <> ''
       ),
       hosts AS (SELECT cluster_code FROM event_clusters WHERE event_id = $1 AND role = 'host'),
       -- Each distinct keyword of the park is compared with the event's once, not once per company that uses it.
       keyword_hits AS MATERIALIZED (
         SELECT k.keyword, ek.keyword AS event_keyword, r.similarity
           FROM (SELECT DISTINCT kw AS keyword
                   FROM (SELECT unnest(keywords) FROM companies UNION ALL SELECT unnest(keywords) FROM sigs) AS used (kw)) k
          CROSS JOIN event_keywords ek
          CROSS JOIN LATERAL (SELECT keyword_resemblance(keyword_key(k.keyword), ek.key) AS similarity) r
          WHERE r.similarity >= $2
       ),
       hits AS (
         SELECT c.id AS company_id, 'company' AS source, NULL::text AS sig, kh.keyword, kh.event_keyword, kh.similarity
           FROM companies c
          CROSS JOIN LATERAL unnest(c.keywords) AS kw
           JOIN keyword_hits kh ON kh.keyword = kw
         UNION ALL
         SELECT sc.company_id, 'sig', s.name, kh.keyword, kh.event_keyword, kh.similarity
           FROM sigs s
          CROSS JOIN LATERAL unnest(s.keywords) AS kw
           JOIN keyword_hits kh ON kh.keyword = kw
           JOIN sig_companies sc ON sc.sig_id = s.id
       ),
       scored AS (
         SELECT company_id,
                sum(similarity * CASE source WHEN 'company' THEN $3::real ELSE $4::real END) AS score,
                json_agg(json_build_object('source', source, 'sig', sig, 'keyword', keyword, 'eventKeyword', event_keyword,
                                           'similarity', round(similarity::numeric, 2))
                         ORDER BY source, similarity DESC, sig, keyword) AS matches
           FROM hits
          GROUP BY company_id
       )
       SELECT m.id AS "memberId", m.name, c.name AS company, m.cluster_code AS cluster,
              round(s.score::numeric, 3)::float8 AS score, s.matches
         FROM scored s
         JOIN companies c ON c.id = s.company_id
         JOIN members m ON m.company_id = c.id
        WHERE c.cluster_code NOT IN (SELECT cluster_code FROM hosts)
          AND m.cluster_code NOT IN (SELECT cluster_code FROM hosts)
          AND NOT EXISTS (SELECT 1 FROM mail_suppressions ms WHERE ms.email = lower(m.email))
          AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.event_id = $1 AND o.kind = 'invitation' AND o.member_id = m.id)
          AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.event_id = $1 AND lower(r.email) = lower(m.email) AND r.status <> 'cancelled')
        ORDER BY s.score DESC, c.name, m.name, m.id
        LIMIT $5`,
      [eventId, KEYWORD_SIMILARITY_THRESHOLD, COMPANY_WEIGHT, SIG_WEIGHT, limit],
    );
  }
}
