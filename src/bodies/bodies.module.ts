import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { EventsModule } from '../events/events.module';
import { RegistrationsModule } from '../registrations/registrations.module';
import { BodiesController } from './bodies.controller';
import { AttachMinutes } from './use-cases/attach-minutes';
import { CreateBody } from './use-cases/create-body';
import { HoldMeeting } from './use-cases/hold-meeting';
import { SetSeat } from './use-cases/set-seat';

/**
 * Standing bodies: rosters of seats, meetings that invite them, minutes. On top of registrations
 * (a meeting invites through SendInvitations); the link pages below reach it only through
 * MeetingRosterPort, which BodiesDataModule provides.
 */
@Module({
  imports: [DirectoryModule, EventsModule, RegistrationsModule],
  controllers: [BodiesController],
  providers: [CreateBody, SetSeat, HoldMeeting, AttachMinutes],
  exports: [CreateBody, SetSeat, HoldMeeting, AttachMinutes],
})
export class BodiesModule {}
