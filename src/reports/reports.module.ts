import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { ReportsController } from './reports.controller';
import { ReportsReader } from './reports.reader';
import { ReportsService } from './reports.service';

/** Organizers' reports: read-only, near the top of the stack (it imports others; only the console's pages import it). */
@Module({
  imports: [EventsModule],
  controllers: [ReportsController],
  providers: [ReportsReader, ReportsService],
  exports: [ReportsService],
})
export class ReportsModule {}
