import type { Request } from 'express';

/** The door session's cookie: the raw session token, only its hash stored. */
export const DOOR_SESSION_COOKIE = 'sh_door';

/**
 * Someone signed in from a door pass: they may check people in at one event and do nothing else.
 * Deliberately not a Principal: every organizer route and page refuses them by construction.
 */
export interface DoorStaff {
  passId: string;
  eventId: string;
  /** Whom the pass was made for, as the organizer named them: what the audit log shows. */
  label: string;
  sessionId: string;
}

interface DoorStaffRequest extends Request {
  doorStaff?: DoorStaff | null;
}

export function doorStaffOf(request: Request): DoorStaff | null {
  return (request as DoorStaffRequest).doorStaff ?? null;
}

export function setDoorStaff(request: Request, doorStaff: DoorStaff | null): void {
  (request as DoorStaffRequest).doorStaff = doorStaff;
}

/** How the audit log names door staff: not an organizer's email, so never mistaken for one. */
export function doorStaffActor(doorStaff: DoorStaff): string {
  return `door:${doorStaff.label}`.slice(0, 320);
}
