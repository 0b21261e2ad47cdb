import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { EventsModule } from '../events/events.module';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';

@Module({
  imports: [DirectoryModule, EventsModule],
  controllers: [CalendarController],
  providers: [CalendarService],
  exports: [CalendarService],
})
export class CalendarModule {}
