import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { ReportsController } from './reports.controller';
import { ReportsReader } from './reports.reader';
import { ReportsService } from './reports.service';

/** Organizers' reports: read-only, on top of the stack (it imports others; nothing imports it). */
@Module({
  imports: [EventsModule],
  controllers: [ReportsController],
  providers: [ReportsReader, ReportsService],
})
export class ReportsModule {}
