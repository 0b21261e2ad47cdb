import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { EventsModule } from '../events/events.module';
import { LinkTokensModule } from '../link-tokens/link-tokens.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ReportsModule } from '../reports/reports.module';
import { RegistrationsDataModule } from '../registrations/registrations-data.module';
import { ApprovalsPageController } from './approvals/approvals-page.controller';
import { PendingApprovalsInterceptor } from './approvals/pending-approvals.interceptor';
import { ConsoleEventScopeGuard } from './events/console-event-scope';
import { EventFormPageController } from './events/event-form-page.controller';
import { EventOverviewPageController } from './events/event-overview-page.controller';
import { EventsPageController } from './events/events-page.controller';
import { AuditPageController } from './audit-page.controller';
import { ComingSoonController } from './coming-soon.controller';
import { ConsoleAdminGuard, ConsoleExceptionFilter, ConsoleSessionGuard } from './console-access';
import { ConsolePages } from './console-pages';
import { ConsoleCsrf, ConsoleCsrfGuard } from './csrf';
import { DashboardController } from './dashboard.controller';
import { OrganizersPageController } from './organizers-page.controller';
import { ReportsPageController } from './reports-page.controller';
import { SigsPageController } from './sigs-page.controller';
import { RequestSignIn } from './sign-in/request-sign-in';
import { SignInController } from './sign-in/sign-in.controller';
import { SignInWithLink } from './sign-in/sign-in-with-link';
import { SignOutController } from './sign-in/sign-out.controller';
import { TokensPageController } from './tokens-page.controller';

/**
 * The organizer console's pages (CONSOLE.md): sign-in by emailed link, the session, CSRF on every
 * form, the frame with the top bar, the accounts pages, the events and approvals pages, SIGs and
 * reports. It sits on top of the modules whose services it shows (auth, events, directory,
 * notifications, link-tokens, registrations' data, reports) and owns no table.
 */
@Module({
  imports: [EventsModule, DirectoryModule, NotificationsModule, LinkTokensModule, RegistrationsDataModule, ReportsModule],
  controllers: [
    SignInController,
    SignOutController,
    DashboardController,
    OrganizersPageController,
    TokensPageController,
    AuditPageController,
    ReportsPageController,
    SigsPageController,
    EventsPageController,
    // Before the overview: `/console/events/new` is not an event's id.
    EventFormPageController,
    EventOverviewPageController,
    ApprovalsPageController,
    ComingSoonController,
  ],
  providers: [
    ConsolePages,
    ConsoleCsrf,
    ConsoleCsrfGuard,
    ConsoleSessionGuard,
    ConsoleAdminGuard,
    ConsoleExceptionFilter,
    ConsoleEventScopeGuard,
    PendingApprovalsInterceptor,
    RequestSignIn,
    SignInWithLink,
  ],
})
export class ConsoleModule {}
