import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventCluster } from './entities/event-cluster.entity';
import { EventQuota } from './entities/event-quota.entity';
import { SeminarEvent } from './entities/event.entity';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { EventLifecycleHooks } from './event-lifecycle.hooks';

@Module({
  imports: [TypeOrmModule.forFeature([SeminarEvent, EventCluster, EventQuota])],
  controllers: [EventsController],
  providers: [EventsService, EventLifecycleHooks],
  exports: [EventsService, EventLifecycleHooks],
})
export class EventsModule {}
