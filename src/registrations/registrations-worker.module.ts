import { Module } from '@nestjs/common';
import { QueueModule } from '../queue/queue.module';
import { QuotaReleaseJob } from './quota-release.job';
import { PersonalDataRetentionJob } from './personal-data-retention.job';
import { RegistrationsModule } from './registrations.module';

/** The worker side of registrations: the periodic quota release and the anonymising of old registrations. Loaded by the worker role only. */
@Module({
  imports: [QueueModule, RegistrationsModule],
  providers: [QuotaReleaseJob, PersonalDataRetentionJob],
})
export class RegistrationsWorkerModule {}
