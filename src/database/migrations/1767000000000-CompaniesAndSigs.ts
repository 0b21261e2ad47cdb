import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Companies become records organizers keep (business number, keywords), and SIGs group companies
 * across clusters. Company names stay unique park-wide (lower(name)): the member CSV import finds a
 * member's company by that index (ON CONFLICT), so it keeps working unchanged.
 */
export class CompaniesAndSigs1767000000000 implements MigrationInterface {
  name = 'CompaniesAndSigs1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE companies ADD COLUMN business_number varchar(10) CHECK (business_number ~ '^[0-9]{10}$')`);
    await q.query(`ALTER TABLE companies ADD COLUMN keywords text[] NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE companies ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(`CREATE UNIQUE INDEX companies_business_number_key ON companies (business_number) WHERE business_number IS NOT NULL`);
    await q.query(`CREATE INDEX companies_cluster_idx ON companies (cluster_code)`);
    await q.query(`CREATE INDEX members_company_idx ON members (company_id)`);
    await q.query(`
      CREATE TABLE sigs (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name        text NOT NULL,
        description text,
        keywords    text[] NOT NULL DEFAULT '{}',
        clusters    varchar(16)[] NOT NULL CHECK (cardinality(clusters) >= 1),
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX sigs_name_key ON sigs (lower(name))`);
    await q.query(`
      CREATE TABLE sig_companies (
        sig_id     uuid NOT NULL REFERENCES sigs(id) ON DELETE CASCADE,
        company_id uuid NOT NULL REFERENCES companies(id),
        added_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (sig_id, company_id)
      )`);
    await q.query(`CREATE INDEX sig_companies_company_idx ON sig_companies (company_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sig_companies`);
    await q.query(`DROP TABLE sigs`);
    await q.query(`DROP INDEX members_company_idx`);
    await q.query(`DROP INDEX companies_cluster_idx`);
    await q.query(`DROP INDEX companies_business_number_key`);
    await q.query(`ALTER TABLE companies DROP COLUMN updated_at, DROP COLUMN keywords, DROP COLUMN business_number`);
  }
}
