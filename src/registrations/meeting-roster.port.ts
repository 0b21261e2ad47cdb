import type { EntityManager } from 'typeorm';

/** Minutes of a meeting as a roster member sees them behind their link. */
export interface RosterMinutes {
  bodyId: string;
  bodyName: string;
  text: string;
  /** The attached file's name, or null when there is none. */
  fileName: string | null;
}

export interface MinutesFile {
  name: string;
  type: string;
  content: Buffer;
}

/**
 * What the emailed-link pages must know about standing bodies (src/bodies): whether the invited
 * person holds a seat they may decline at this meeting, recording the decline, and the minutes
 * they may read. The bodies module sits above registrations (a meeting invites its roster through
 * SendInvitations), so registrations cannot import it: it declares what it needs here and the
 * bodies module provides it (BodiesDataModule). Where no one provides it (the worker role) the
 * pages simply offer no decline and no minutes.
 */
export interface MeetingRosterPort {
  /** Seats the member holds as delegate in the bodies meeting at this event: how many are still open and how many they declined. */
  delegateSeats(manager: EntityManager, eventId: string, memberId: string): Promise<{ open: number; declined: number }>;
  /**
   * Records the member's decline of every open delegate seat at this meeting, once: the substitutes
   * of the seats declined by this call, to invite now (none when it was declined before).
   */
  decline(manager: EntityManager, eventId: string, memberId: string, at: Date): Promise<string[]>;
  /** Minutes of the bodies meeting at this event on whose roster (delegate or substitute) the member is. */
  minutesFor(eventId: string, memberId: string): Promise<RosterMinutes[]>;
  /** The file attached to one body's minutes of this meeting, if the member is on that body's roster. */
  minutesFile(eventId: string, memberId: string, bodyId: string): Promise<MinutesFile | null>;
}

export const MEETING_ROSTER_PORT = Symbol('MeetingRosterPort');
