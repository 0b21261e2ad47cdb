import { Global, Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { EventsModule } from '../events/events.module';
import { MEETING_ROSTER_PORT } from '../registrations/meeting-roster.port';
import { BodiesRepository } from './bodies.repository';
import { BodyRecords } from './body-records';
import { MeetingRoster } from './meeting-roster';

/**
 * The data side of bodies and the MeetingRosterPort the emailed-link pages of registrations ask.
 * Global, so registrations (below bodies) receives the port without importing this folder; AppModule
 * loads it in the api role only, where the link pages are served.
 */
@Global()
@Module({
  imports: [DirectoryModule, EventsModule],
  providers: [BodiesRepository, BodyRecords, MeetingRoster, { provide: MEETING_ROSTER_PORT, useExisting: MeetingRoster }],
  exports: [BodiesRepository, BodyRecords, MEETING_ROSTER_PORT],
})
export class BodiesDataModule {}
