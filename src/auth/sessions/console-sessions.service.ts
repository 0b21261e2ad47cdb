import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { digest } from '../digest';
import { OrganizerAccountsRepository } from '../organizers/organizer-accounts.repository';

/** How long a console session lasts: a working day, then the organizer asks for a new link. */
export const CONSOLE_SESSION_HOURS = 12;

/**
 * Console sessions: a random token in the `sh_session` cookie, only its SHA-256 stored
 * (console_sessions), looked up on every request by OrganizerAuth, ended by signing out.
 */
@Injectable()
export class ConsoleSessions {
  constructor(private readonly accounts: OrganizerAccountsRepository) {}

  /** Starts a session for the organizer (in the caller's transaction); the raw token goes only into the cookie. */
  async start(organizerId: string, manager?: EntityManager): Promise<{ token: string; sessionId: string; maxAgeMs: number }> {
    const token = randomBytes(32).toString('base64url');
    const sessionId = await this.accounts.insertSession(organizerId, digest(token).toString('hex'), CONSOLE_SESSION_HOURS, manager);
    return { token, sessionId, maxAgeMs: CONSOLE_SESSION_HOURS * 3_600_000 };
  }

  /** Ends a session: its cookie is refused from the next request. */
  end(sessionId: string): Promise<void> {
    return this.accounts.endSession(sessionId);
  }
}
