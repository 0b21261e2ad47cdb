import type { Request } from 'express';
import { ClusterCode } from '../config/cluster-codes';

export type OrganizerRole = 'admin' | 'cluster_organizer';

/** Who is acting: an organizer signed in by session or API token, or the ADMIN_TOKEN bearer. */
export interface Principal {
  /** Null for the ADMIN_TOKEN bearer, which is no account. */
  organizerId: string | null;
  /** What the audit log names: the organizer's email, or `admin-token`. */
  actor: string;
  role: OrganizerRole;
  /** The clusters a cluster organizer acts for; empty for admins, who act for all. */
  clusters: ClusterCode[];
  via: 'admin-token' | 'api-token' | 'session';
  /** The API token or session used, so it can be revoked or signed out. */
  credentialId: string | null;
}

/** Set on the request by AuthenticateMiddleware before any guard runs; null when no valid credential came. */
export interface AuthenticatedRequest extends Request {
  principal?: Principal | null;
}

export function principalOf(request: Request): Principal | null {
  return (request as AuthenticatedRequest).principal ?? null;
}

export function isAdmin(principal: Principal | null): boolean {
  return principal?.role === 'admin';
}

/**
 * Whether the principal may act on something belonging to these clusters: admins always; a cluster
 * organizer when one of them is theirs (an event they host or co-host, a member of their cluster).
 */
export function actsFor(principal: Principal | null, clusters: readonly string[]): boolean {
  if (!principal) return false;
  if (principal.role === 'admin') return true;
  return clusters.some((cluster) => (principal.clusters as string[]).includes(cluster));
}
