import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventCluster } from './entities/event-cluster.entity';
import { EventQuota } from './entities/event-quota.entity';
import { SeminarEvent } from './entities/event.entity';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { EventSeatCounter } from './event-seat-counter';
import { DueEventsReader } from './due-events.reader';
import { EventLifecycleHooks } from './event-lifecycle.hooks';
import { EventSeries } from './series/event-series.entity';
import { SeriesController } from './series/series.controller';
import { SeriesService } from './series/series.service';
import { CancelEvent } from './use-cases/cancel-event';
import { CreateEvent } from './use-cases/create-event';
import { PublishEvent } from './use-cases/publish-event';
import { UpdateEvent } from './use-cases/update-event';
import { DecideApproval } from './approvals/decide-approval';
import { EventApprovalsRepository } from './approvals/event-approvals.repository';
import { EventScopeGuard } from './event-scope.guard';

@Module({
  imports: [TypeOrmModule.forFeature([SeminarEvent, EventCluster, EventQuota, EventSeries])],
  controllers: [EventsController, SeriesController],
  providers: [
    EventsService,
    EventSeatCounter,
    DueEventsReader,
    EventLifecycleHooks,
    SeriesService,
    CreateEvent,
    UpdateEvent,
    PublishEvent,
    CancelEvent,
    EventApprovalsRepository,
    DecideApproval,
    EventScopeGuard,
  ],
  exports: [
    EventsService,
    EventSeatCounter,
    DueEventsReader,
    EventLifecycleHooks,
    SeriesService,
    EventApprovalsRepository,
    EventScopeGuard,
    // The console's pages run the same use cases as the API.
    CreateEvent,
    UpdateEvent,
    PublishEvent,
    CancelEvent,
    DecideApproval,
  ],
})
export class EventsModule {}
