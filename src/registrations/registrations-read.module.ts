import { Module } from '@nestjs/common';
import { MemberRegistrationsReader } from './member-registrations.reader';

/**
 * The read side of registrations that modules below RegistrationsModule need (the calendar's
 * personal feeds). RegistrationsModule imports CalendarModule, so CalendarModule cannot import it back.
 */
@Module({
  providers: [MemberRegistrationsReader],
  exports: [MemberRegistrationsReader],
})
export class RegistrationsReadModule {}
