import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarModule } from '../calendar/calendar.module';
import { DirectoryModule } from '../directory/directory.module';
import { EventsModule } from '../events/events.module';
import { LinkTokensModule } from '../link-tokens/link-tokens.module';
import { QueueModule } from '../queue/queue.module';
import { RegistrationsReadModule } from '../registrations/registrations-read.module';
import { CheckInModule } from '../registrations/check-in/check-in.module';
import { MailComposer } from './mail/mail-composer.service';
import { MailProcessor } from './mail/mail.processor';
import { MailerService } from './mail/mailer.service';
import { NotificationsModule } from './notifications.module';
import { OutboxMessage } from './outbox/outbox-message.entity';
import { RetentionJob } from './retention.job';

/** The worker side of notifications: renders and sends the outbox rows the queue hands it, and the retention job. Loaded by the worker role only. */
@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage]), QueueModule, CalendarModule, DirectoryModule, EventsModule, LinkTokensModule, CheckInModule, NotificationsModule, RegistrationsReadModule],
  providers: [MailProcessor, MailComposer, MailerService, RetentionJob],
})
export class MailWorkerModule {}
