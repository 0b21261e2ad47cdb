import { BadRequestException, Injectable } from '@nestjs/common';
import type { Principal } from '../../auth/principal';
import { chooseTextEncoding, decodeTextChunks } from '../../common/http/text-body';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { companyDomainOf, MemberInput } from '../directory.service';
import { MemberRow, readMemberCsv, RejectedLine } from '../member-csv-import';

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
  rejected: RejectedLine[];
}

/** What the audit log says of an import. */
export function importSummary(result: ImportResult): string {
  return `${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged, ${result.rejected.length} rejected`;
}

/**
 * The member CSV import (POST /api/members/import and the console's upload): members and their
 * companies, created or updated by email.
 */
@Injectable()
export class ImportMembers {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Imports the bytes of a CSV file as whoever sent it may: read as UTF-8 or CP949 (text-body.ts,
   * by the charset of `contentType`, else detected), scoped to a cluster organizer's clusters.
   */
  async importFile(body: Buffer, contentType: string | undefined, principal: Principal | null): Promise<ImportResult> {
    if (isBlank(body)) throw new BadRequestException(['body must be a CSV file']);
    const encoding = chooseTextEncoding(body, contentType);
    return this.execute(decodeTextChunks(body, encoding), principal && principal.role !== 'admin' ? principal.clusters : undefined);
  }

  /**
   * Imports a member CSV (see readMemberCsv) in one transaction: the file is imported whole, or,
   * when it turns out bad after some batches were written (a CSV error or bytes that are no text
   * near its end), not at all. Members are created or updated by email (case-insensitive); one
   * whose row already says the same is left alone, so importing a file twice changes nothing.
   * Rows are written a batch at a time as they are read, so the file is never held as rows whole.
   *
   * `within` (a cluster organizer's clusters) scopes the import row by row, like the rest of the
   * file's checks: a row naming another cluster, or the email of a member of another cluster (whom
   * the row would move or rename), is rejected with its line and reason; the other rows count.
   * Rejecting rows rather than the whole file keeps one rule for every bad row (the report lists
   * them, the organizer fixes them); the file is still refused whole only when it is no CSV.
   */
  async execute(text: Iterable<string>, within?: readonly string[]): Promise<ImportResult> {
    return this.dataSource.transaction(async (manager) => {
      let created = 0;
      let updated = 0;
      let unchanged = 0;
      const rejected = await readMemberCsv(
        text,
        async (batch) => {
          const refused = within ? await this.membersOfOtherClusters(manager, batch, within) : [];
          const rows = refused.length > 0 ? batch.filter((row) => !refused.some((line) => line.line === row.line)) : batch;
          if (rows.length > 0) {
            const written = await this.upsertMemberBatch(manager, rows);
            created += written.created;
            updated += written.updated;
            unchanged += rows.length - written.created - written.updated;
          }
          return refused;
        },
        undefined,
        within,
      );
      return { created, updated, unchanged, rejected };
    });
  }

  /** The rows whose email is already a member of a cluster outside `within`: a cluster organizer may not change them. */
  private async membersOfOtherClusters(manager: EntityManager, batch: MemberRow[], within: readonly string[]): Promise<RejectedLine[]> {
    const others = await manager.query<{ email: string; cluster_code: string }[]>(
      `SELECT lower(email) AS email, cluster_code FROM members WHERE lower(email) = ANY ($1::text[]) AND NOT (cluster_code = ANY ($2::text[]))`,
      [batch.map((row) => row.email.toLowerCase()), [...within]],
    );
    if (others.length === 0) return [];
    const clusterOf = new Map(others.map((row) => [row.email, row.cluster_code]));
    return batch.flatMap((row) => {
      const cluster = clusterOf.get(row.email.toLowerCase());
      return cluster ? [{ line: row.line, reason: `email ${row.email} is a member of cluster ${cluster}, which is not one of yours` }] : [];
    });
  }

  /**
   * Creates or updates one batch of members. Each column travels as one array parameter that
   * unnest() makes rows of, so a batch never meets PostgreSQL's limit of 65,535 bind parameters
   * (one `IN (...)` list of a 100,000-row file went past it: a 500).
   * Both statements find a row's member through the unique index on lower(email), as ON CONFLICT's
   * arbiter, one probe per row: a join with members was planned as a hash of the whole table, again
   * for every batch (9 s of a 100,000-row import). The first inserts the new members; the second
   * updates those whose row says something else (the members just inserted say the same).
   */
  private async upsertMemberBatch(manager: EntityManager, inputs: MemberInput[]): Promise<{ created: number; updated: number }> {
    await this.upsertCompanies(manager, inputs);
    // DISTINCT ON: emails are distinct as the reader lowers them; this keeps a statement valid where
    // PostgreSQL's lower() would still make two of them one (ON CONFLICT may not update a row twice).
    const input = `
      SELECT DISTINCT ON (lower(i.email)) i.email, i.name, company.id AS company_id, i.cluster_code, i.locale
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS i (email, name, company, cluster_code, locale, position)
        JOIN companies company ON lower(company.name) = lower(i.company)
       ORDER BY lower(i.email), i.position`;
    const rows = [
      inputs.map((input) => input.email),
      inputs.map((input) => input.name),
      inputs.map((input) => input.company),
      inputs.map((input) => input.clusterCode),
      inputs.map((input) => input.locale),
    ];
    const [{ created }] = await manager.query<{ created: number }[]>(
      `WITH added AS (
         INSERT INTO members (email, name, company_id, cluster_code, locale) ${input}
         ON CONFLICT ((lower(email))) DO NOTHING
         RETURNING 1
       )
       SELECT count(*)::int AS created FROM added`,
      rows,
    );
    if (created === inputs.length) return { created, updated: 0 };
    const [{ updated }] = await manager.query<{ updated: number }[]>(
      `WITH changed AS (
         INSERT INTO members (email, name, company_id, cluster_code, locale) ${input}
         ON CONFLICT ((lower(email))) DO UPDATE
            SET name = EXCLUDED.name, company_id = EXCLUDED.company_id, cluster_code = EXCLUDED.cluster_code, locale = EXCLUDED.locale,
                updated_at = now()
          WHERE (members.name, members.company_id, members.cluster_code, members.locale)
                IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.company_id, EXCLUDED.cluster_code, EXCLUDED.locale)
         RETURNING 1
       )
       SELECT count(*)::int AS updated FROM changed`,
      rows,
    );
    return { created, updated };
  }

  /**
   * companyFor for a whole batch, in one statement: each company (by lower(name), as the unique
   * index has it) is made on its first mention in the batch, with that row's name and cluster; the
   * company email domains of its rows that it lacks are appended in file order. A company that
   * already has them all is not written at all.
   */
  private async upsertCompanies(manager: EntityManager, inputs: MemberInput[]): Promise<void> {
    await manager.query(
      `WITH mention AS (
         SELECT m.name, m.cluster_code, m.domain, m.position
           FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS m (name, cluster_code, domain, position)
       ), first_mention AS (
         SELECT DISTINCT ON (lower(name)) lower(name) AS key, name, cluster_code FROM mention ORDER BY lower(name), position
       ), domains AS (
         SELECT key, array_agg(domain ORDER BY position) AS domains
           FROM (SELECT lower(name) AS key, domain, min(position) AS position FROM mention WHERE domain IS NOT NULL GROUP BY 1, 2) AS first_use
          GROUP BY key
       )
       INSERT INTO companies (name, cluster_code, email_domains)
       SELECT first_mention.name, first_mention.cluster_code, coalesce(domains.domains, '{}') FROM first_mention LEFT JOIN domains USING (key)
       ON CONFLICT ((lower(name))) DO UPDATE
         SET email_domains = companies.email_domains || ARRAY(
               SELECT domain FROM unnest(EXCLUDED.email_domains) WITH ORDINALITY AS added (domain, position)
                WHERE NOT (domain = ANY (companies.email_domains)) ORDER BY position)
         WHERE NOT (EXCLUDED.email_domains <@ companies.email_domains)`,
      [inputs.map((input) => input.company), inputs.map((input) => input.clusterCode), inputs.map((input) => companyDomainOf(input.email))],
    );
  }
}

/** Nothing but a UTF-8 BOM and ASCII white space (in UTF-8 and in CP949 alike). Stops at the first other byte. */
function isBlank(body: Buffer): boolean {
  const start = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  for (let i = start; i < body.length; i++) {
    const byte = body[i];
    if (byte !== 0x20 && (byte < 0x09 || byte > 0x0d)) return false;
  }
  return true;
}
