import type { EntityManager } from 'typeorm';
import type { Locale } from '../common/templates/locales';

/**
 * The cluster a registrant counts for (for cluster quotas): their member record's, else the cluster
 * of the member company whose email domain matches theirs, else none (an outside guest, or an
 * address at a public mail service, whose domain no company holds; see companyDomainOf).
 */
export function registrantCluster(member: { clusterCode: string } | null, domainCompany: { clusterCode: string } | null): string | null {
  if (member) return member.clusterCode;
  return domainCompany?.clusterCode ?? null;
}

/** Who an email address is to the directory, for a registration (`clusterForEmail`). */
export interface Registrant {
  /** The member with this address, if any; their locale (else null). */
  memberId: string | null;
  locale: Locale | null;
  /** The cluster the registrant counts for (registrantCluster). */
  clusterCode: string | null;
  /** The member's company, else the company holding the address's domain. */
  company: string | null;
}

/** DirectoryService.clusterForEmail: the member and the domain's company, in one statement. */
export async function lookUpRegistrant(manager: EntityManager, email: string): Promise<Registrant> {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  // Both lookups in one statement: a registration rush pays each round trip hundreds of times a second.
  const rows: {
    member_id: string | null;
    locale: Locale | null;
    member_cluster: string | null;
    member_company: string | null;
    domain_cluster: string | null;
    domain_company: string | null;
  }[] = await manager.query(
    `SELECT m.id AS member_id, m.locale, m.cluster_code AS member_cluster, mc.name AS member_company,
            dc.cluster_code AS domain_cluster, dc.name AS domain_company
       FROM (SELECT 1) AS one
       LEFT JOIN members m ON lower(m.email) = lower($1)
       LEFT JOIN companies mc ON mc.id = m.company_id
       -- @> rather than = ANY: the GIN index on email_domains serves containment.
       LEFT JOIN LATERAL (SELECT cluster_code, name FROM companies WHERE email_domains @> ARRAY[$2]::text[] LIMIT 1) dc ON true`,
    [email, domain],
  );
  const row = rows[0];
  const member = row.member_id && row.member_cluster ? { clusterCode: row.member_cluster } : null;
  const domainCompany = row.domain_cluster ? { clusterCode: row.domain_cluster } : null;
  return {
    memberId: row.member_id,
    locale: row.locale,
    clusterCode: registrantCluster(member, domainCompany),
    company: member ? row.member_company : row.domain_company,
  };
}
