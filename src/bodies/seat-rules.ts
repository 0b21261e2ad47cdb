import { InvalidInputError } from '../common/errors/domain-errors';
import type { SeatDto } from './dto/body.dto';

/** What a seat's holders must be known by: their cluster and company. */
export interface HolderFacts {
  clusterCode: string;
  companyId: string | null;
}

/** A seat stands for a cluster or for a company, not both and not neither; its substitute is someone else. */
export function checkSeatShape(seat: SeatDto): void {
  if (seat.cluster && seat.companyId) throw new InvalidInputError('companyId', 'must not be given with cluster: a seat is for a cluster or for a company');
  if (!seat.cluster && !seat.companyId) throw new InvalidInputError('cluster', 'or companyId must be given: a seat is for a cluster or for a company');
  if (seat.substituteId && seat.substituteId === seat.delegateId) throw new InvalidInputError('substituteId', 'must not be the delegate');
}

/**
 * The delegate and the substitute exist and belong to what the seat stands for: a company's seat is
 * never held by someone of another company, a cluster's by someone of another cluster.
 */
export function checkSeatHolders(seat: SeatDto, holders: Map<string, HolderFacts>): void {
  const belongs = (holder: HolderFacts) => (seat.companyId ? holder.companyId === seat.companyId : holder.clusterCode === seat.cluster);
  const what = seat.companyId ? "the seat's company" : `the ${seat.cluster} cluster`;
  for (const [field, id] of [['delegateId', seat.delegateId] as const, ['substituteId', seat.substituteId] as const]) {
    if (!id) continue;
    const holder = holders.get(id);
    if (!holder) throw new InvalidInputError(field, 'names no member');
    if (!belongs(holder)) throw new InvalidInputError(field, `must be a member of ${what}`);
  }
}
