import { Global, Module } from '@nestjs/common';
import { MEETING_ROSTER_PORT } from '../registrations/meeting-roster.port';
import { BodiesRepository } from './bodies.repository';
import { MeetingRoster } from './meeting-roster';

/**
 * The data side of bodies and the MeetingRosterPort the emailed-link pages of registrations ask.
 * Global, so registrations (below bodies) receives the port without importing this folder; AppModule
 * loads it in the api role only, where the link pages are served.
 */
@Global()
@Module({
  providers: [BodiesRepository, MeetingRoster, { provide: MEETING_ROSTER_PORT, useExisting: MeetingRoster }],
  exports: [BodiesRepository, MEETING_ROSTER_PORT],
})
export class BodiesDataModule {}
