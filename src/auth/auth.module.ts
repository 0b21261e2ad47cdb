import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AuditLog } from './audit/audit-log.service';
import { AuditLogController } from './audit/audit-log.controller';
import { DoorPasses } from './door-staff/door-passes.service';
import { AdminGuard, AuthenticateMiddleware, OrganizerAuth, OrganizerGuard } from './organizer-auth';
import { OrganizerAccountsRepository } from './organizers/organizer-accounts.repository';
import { OrganizersController } from './organizers/organizers.controller';
import { OrganizersService } from './organizers/organizers.service';
import { ConsoleSessions } from './sessions/console-sessions.service';
import { ApiTokensController } from './tokens/api-tokens.controller';

/** Organizers, their roles and credentials, and the audit log; every request's principal is looked up here. */
@Global()
@Module({
  controllers: [OrganizersController, ApiTokensController, AuditLogController],
  providers: [OrganizerAuth, OrganizerGuard, AdminGuard, OrganizerAccountsRepository, OrganizersService, AuditLog, ConsoleSessions, DoorPasses],
  exports: [OrganizerAuth, OrganizerGuard, AdminGuard, OrganizersService, AuditLog, ConsoleSessions, DoorPasses],
})
export class AuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuthenticateMiddleware).forRoutes('*');
  }
}
