import { actsFor, Principal } from '../auth/principal';
import { DomainError } from '../common/errors/domain-errors';

/**
 * Who sees and changes a body. A federation admin: every body. A cluster organizer: the bodies that
 * involve one of their clusters, through the SIG a steering group steers or through a seat for
 * that cluster (or for a company of it); they fill and change only their clusters' seats, and hold
 * meetings only at events their clusters host. The joint committee, with no SIG, is set up by an admin.
 */
export function mustSeeBody(principal: Principal | null, body: { clusters: string[] }): void {
  if (!actsFor(principal, body.clusters)) throw new DomainError('forbidden', 'this body involves none of your clusters');
}

export function mustActForSeat(principal: Principal | null, seatCluster: string, field: string): void {
  if (!actsFor(principal, [seatCluster])) throw new DomainError('forbidden', `${field}: a seat for ${seatCluster} is not one of your clusters' seats`, field);
}
