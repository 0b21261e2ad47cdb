import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MeetingRosterPort, MinutesFile, RosterMinutes } from '../registrations/meeting-roster.port';
import { BodiesRepository } from './bodies.repository';

/** The bodies' answer to the emailed-link pages (see MeetingRosterPort). */
@Injectable()
export class MeetingRoster implements MeetingRosterPort {
  constructor(private readonly bodies: BodiesRepository) {}

  delegateSeats(manager: EntityManager, eventId: string, memberId: string): Promise<{ open: number; declined: number }> {
    return this.bodies.delegateSeats(manager, eventId, memberId);
  }

  decline(manager: EntityManager, eventId: string, memberId: string, at: Date): Promise<string[]> {
    return this.bodies.decline(manager, eventId, memberId, at);
  }

  minutesFor(eventId: string, memberId: string): Promise<RosterMinutes[]> {
    return this.bodies.rosterMinutes(eventId, memberId);
  }

  async minutesFile(eventId: string, memberId: string, bodyId: string): Promise<MinutesFile | null> {
    if (!(await this.bodies.onRoster(bodyId, memberId))) return null;
    return this.bodies.minutesFileOf(bodyId, eventId);
  }
}
