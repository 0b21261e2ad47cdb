import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { companyDomainOf, MemberInput } from '../directory.service';
import { readMemberCsv, RejectedLine } from '../member-csv-import';

/** The member CSV import (POST /api/members/import): members and their companies, created or updated by email. */
@Injectable()
export class ImportMembers {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Imports a member CSV (see readMemberCsv) in one transaction: the file is imported whole, or,
   * when it turns out bad after some batches were written (a CSV error or bytes that are no text
   * near its end), not at all. Members are created or updated by email (case-insensitive); one
   * whose row already says the same is left alone, so importing a file twice changes nothing.
   * Rows are written a batch at a time as they are read, so the file is never held as rows whole.
   */
  async execute(text: Iterable<string>): Promise<{ created: number; updated: number; rejected: RejectedLine[] }> {
    return this.dataSource.transaction(async (manager) => {
      let created = 0;
      let updated = 0;
      const rejected = await readMemberCsv(text, async (batch) => {
        const written = await this.upsertMemberBatch(manager, batch);
        created += written.created;
        updated += written.updated;
      });
      return { created, updated, rejected };
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
