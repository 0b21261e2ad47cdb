import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { NotificationsModule } from '../notifications/notifications.module';
import { QueueModule } from '../queue/queue.module';
import { HealthController } from './health.controller';
import { ProbesController } from './probes.controller';

// Terminus logs a failed probe as one JSON line naming what is down, not a drawn box per poll.
@Module({ imports: [QueueModule, NotificationsModule, TerminusModule.forRoot({ errorLogStyle: 'json' })], controllers: [HealthController, ProbesController] })
export class HealthModule {}
