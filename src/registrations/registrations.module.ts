import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarModule } from '../calendar/calendar.module';
import { DirectoryModule } from '../directory/directory.module';
import { EventsModule } from '../events/events.module';
import { LinkTokensModule } from '../link-tokens/link-tokens.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { Registration } from './entities/registration.entity';
import { EventPagesController } from './pages/event-pages.controller';
import { LinkPagesController } from './pages/link-pages.controller';
import { RegistrationsController } from './registrations.controller';
import { RegistrationsService } from './registrations.service';
import { EventChangeNoticesService } from './event-change-notices.service';

@Module({
  imports: [TypeOrmModule.forFeature([Registration]), EventsModule, DirectoryModule, LinkTokensModule, NotificationsModule, CalendarModule],
  controllers: [RegistrationsController, EventPagesController, LinkPagesController],
  providers: [RegistrationsService, EventChangeNoticesService],
  exports: [RegistrationsService],
})
export class RegistrationsModule {}
