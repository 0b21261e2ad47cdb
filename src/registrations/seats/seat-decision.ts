import type { SeminarEvent } from '../../events/entities/event.entity';
import { quotasReleased } from '../../events/event-rules';

/** Where a confirmed seat comes from: the registrant's cluster quota, or the open pool. */
export type SeatPool = 'quota' | 'open';

/** Confirmed seats of an event, counted by the registrant's cluster and the pool each seat came from. */
export interface TakenSeats {
  clusterCode: string | null;
  seatPool: SeatPool | null;
  count: number;
}

/** What the seat decision needs of an event. */
export type SeatEvent = Pick<SeminarEvent, 'capacity' | 'startsAt' | 'quotaReleaseAt' | 'quotaReleased'> & {
  quotas: { clusterCode: string; seats: number }[] | null;
};

/** Someone waiting for a seat, in waiting-list order. */
export interface Waiting {
  id: string;
  clusterCode: string | null;
}

/**
 * The seat the event can give this registrant now, or null (no seat: the waiting list). Without
 * a capacity every seat is open. Before the quota release a registrant takes their cluster's
 * reserved seats first, then the open pool (the capacity minus every reservation); a registrant
 * of no cluster (an outside guest) only ever gets open seats. After the release every free seat
 * is open to anyone.
 */
export function decideSeat(event: SeatEvent, taken: TakenSeats[], clusterCode: string | null, now = new Date()): SeatPool | null {
  if (event.capacity === null) return 'open';
  if (count(taken) >= event.capacity) return null;
  const quotas = event.quotas ?? [];
  if (quotas.length === 0 || quotasReleased(event, now)) return 'open';
  const own = quotas.find((quota) => quota.clusterCode === clusterCode);
  const ownTaken = count(taken.filter((row) => row.seatPool === 'quota' && row.clusterCode === clusterCode));
  if (own && ownTaken < own.seats) return 'quota';
  const openSeats = event.capacity - quotas.reduce((sum, quota) => sum + quota.seats, 0);
  const openTaken = count(taken.filter((row) => row.seatPool === 'open'));
  return openTaken < openSeats ? 'open' : null;
}

/**
 * Who on the waiting list gets a free seat now, in order, and from which pool: each seat goes to
 * the first person it is free for. While quotas hold, a seat may be free for one cluster and not
 * for another, so the walk skips those it cannot seat; otherwise the first it cannot seat means
 * the event is full for everyone.
 */
export function promotionsFrom(event: SeatEvent, taken: TakenSeats[], waiting: Waiting[], now = new Date()): { id: string; pool: SeatPool }[] {
  const quotasHold = (event.quotas ?? []).length > 0 && !quotasReleased(event, now);
  const seats = [...taken];
  const promotions: { id: string; pool: SeatPool }[] = [];
  for (const person of waiting) {
    const pool = decideSeat(event, seats, person.clusterCode, now);
    if (!pool && !quotasHold) break;
    if (!pool) continue;
    promotions.push({ id: person.id, pool });
    seats.push({ clusterCode: person.clusterCode, seatPool: pool, count: 1 });
  }
  return promotions;
}

function count(rows: TakenSeats[]): number {
  return rows.reduce((sum, row) => sum + row.count, 0);
}
