import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventCluster } from './entities/event-cluster.entity';
import { SeminarEvent } from './entities/event.entity';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { EventLifecycleHooks } from './event-lifecycle.hooks';

@Module({
  imports: [TypeOrmModule.forFeature([SeminarEvent, EventCluster])],
  controllers: [EventsController],
  providers: [EventsService, EventLifecycleHooks],
  exports: [EventsService, EventLifecycleHooks],
})
export class EventsModule {}
