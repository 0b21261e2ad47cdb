import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every public registration looks its email domain up among the companies' domains: a GIN index keeps that off a full scan. */
export class CompanyDomainIndex1764700000000 implements MigrationInterface {
  name = 'CompanyDomainIndex1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX companies_email_domains_idx ON companies USING gin (email_domains)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX companies_email_domains_idx`);
  }
}
