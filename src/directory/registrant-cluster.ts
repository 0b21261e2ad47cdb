/**
 * The cluster a registrant counts for (for cluster quotas): their member record's, else the cluster
 * of the member company whose email domain matches theirs, else none (an outside guest, or an
 * address at a public mail service, whose domain no company holds; see companyDomainOf).
 */
export function registrantCluster(member: { clusterCode: string } | null, domainCompany: { clusterCode: string } | null): string | null {
  if (member) return member.clusterCode;
  return domainCompany?.clusterCode ?? null;
}
