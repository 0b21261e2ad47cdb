import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DirectoryModule } from '../directory/directory.module';
import { EventsModule } from '../events/events.module';
import { LinkTokensModule } from '../link-tokens/link-tokens.module';
import { QueueModule } from '../queue/queue.module';
import { ApprovalMailsService } from './approvals/approval-mails.service';
import { DeliveriesController } from './deliveries/deliveries.controller';
import { DeliveriesService } from './deliveries/deliveries.service';
import { DevOutboxController } from './dev-outbox.controller';
import { OutboxMessage } from './outbox/outbox-message.entity';
import { OutboxRelay } from './outbox/outbox-relay.service';
import { OutboxService } from './outbox/outbox.service';
import { MailSuppression } from './suppressions/mail-suppression.entity';
import { SuppressionsController } from './suppressions/suppressions.controller';
import { SuppressionsService } from './suppressions/suppressions.service';
import { UnsubscribePagesController } from './unsubscribe/unsubscribe-pages.controller';
import { UnsubscribeService } from './unsubscribe/unsubscribe.service';

/**
 * The outbox: services write mails to send in their own transactions; the relay hands them to the
 * queue. Also delivery tracking (what became of each mail, retrying failed ones), the suppression
 * list and the unsubscribe link, and the co-hosting mails (approval asked, approval answered).
 */
@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage, MailSuppression]), QueueModule, EventsModule, DirectoryModule, LinkTokensModule],
  controllers: [DevOutboxController, DeliveriesController, SuppressionsController, UnsubscribePagesController],
  providers: [OutboxService, OutboxRelay, DeliveriesService, SuppressionsService, UnsubscribeService, ApprovalMailsService],
  exports: [OutboxService, SuppressionsService, DeliveriesService],
})
export class NotificationsModule {}
