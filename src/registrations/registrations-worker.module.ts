import { Module } from '@nestjs/common';
import { QueueModule } from '../queue/queue.module';
import { QuotaReleaseJob } from './quota-release.job';
import { RegistrationsModule } from './registrations.module';

/** The worker side of registrations: the periodic quota release. Loaded by the worker role only. */
@Module({
  imports: [QueueModule, RegistrationsModule],
  providers: [QuotaReleaseJob],
})
export class RegistrationsWorkerModule {}
