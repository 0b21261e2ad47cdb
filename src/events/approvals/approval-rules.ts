import type { Principal } from '../../auth/principal';

export type ApprovalStatus = 'pending' | 'approved' | 'declined';

export interface Approval {
  cluster: string;
  status: ApprovalStatus;
  reason: string | null;
}

/**
 * The co-host clusters that must approve an event before it is published: every host the proposer
 * does not act for. A federation admin's event is approved by every host.
 */
export function approvalsNeeded(proposer: Principal | null, hosts: readonly string[]): string[] {
  if (!proposer || proposer.role === 'admin') return [];
  return hosts.filter((host) => !(proposer.clusters as string[]).includes(host));
}

/** Who has not approved, for publish's 409: pending and declined co-hosts. */
export function missingApprovals(approvals: readonly Approval[]): Approval[] {
  return approvals.filter((approval) => approval.status !== 'approved');
}
