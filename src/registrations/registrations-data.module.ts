import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { EventsModule } from '../events/events.module';
import { REGISTRATIONS_PORT } from '../notifications/registrations.port';
import { CheckInModule } from './check-in/check-in.module';
import { RegistrantsReader } from './registrants.reader';
import { RegistrationsRepository } from './registrations.repository';
import { RegistrationCountsReader } from './registration-counts.reader';
import { ConsentsRepository } from './consents/consents.repository';
import { MemberRegistrationsReader } from './member-registrations.reader';

/**
 * The data side of registrations: the repository of the registrations table and the reader that
 * answers the notifications module's RegistrationsPort. RegistrationsModule builds its use cases
 * on it; AppModule hands it to the mail and reminder workers (MailWorkerModule.with, …).
 */
@Module({
  imports: [DirectoryModule, EventsModule, CheckInModule],
  providers: [
    RegistrationsRepository,
    RegistrationCountsReader,
    ConsentsRepository,
    RegistrantsReader,
    MemberRegistrationsReader,
    { provide: REGISTRATIONS_PORT, useExisting: RegistrantsReader },
  ],
  exports: [RegistrationsRepository, RegistrationCountsReader, ConsentsRepository, RegistrantsReader, MemberRegistrationsReader, REGISTRATIONS_PORT],
})
export class RegistrationsDataModule {}
