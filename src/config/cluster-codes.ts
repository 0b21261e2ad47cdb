/**
 * The four mini-clusters of the park. Seeded by the InitialSchema migration; the order is the display order.
 * Here rather than in directory/ because config (the cluster office addresses), events and the
 * DTOs of several modules need the codes, and none of them may import the directory folder for that.
 */
export const CLUSTER_CODES = ['ICT', 'IMT', 'DC', 'GREEN_IT'] as const;
export type ClusterCode = (typeof CLUSTER_CODES)[number];

export function isClusterCode(value: unknown): value is ClusterCode {
  return typeof value === 'string' && (CLUSTER_CODES as readonly string[]).includes(value);
}
