import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { ReportsController } from './reports.controller';
import { ReportsReader } from './reports.reader';
import { ReportsService } from './reports.service';
import { SuggestionsReader } from './suggestions.reader';
import { SuggestionsService } from './suggestions.service';

/** Organizers' reports: read-only, near the top of the stack (it imports others; only the console's pages import it). */
@Module({
  imports: [EventsModule],
  controllers: [ReportsController],
  providers: [ReportsReader, ReportsService, SuggestionsReader, SuggestionsService],
  exports: [ReportsService, SuggestionsService],
})
export class ReportsModule {}
