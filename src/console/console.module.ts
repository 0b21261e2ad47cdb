import { BadRequestException, MiddlewareConsumer, Module, NestModule, PayloadTooLargeException, RequestMethod } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { DirectoryModule } from '../directory/directory.module';
import { EventsModule } from '../events/events.module';
import { LinkTokensModule } from '../link-tokens/link-tokens.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { CheckInModule } from '../registrations/check-in/check-in.module';
import { RegistrationsDataModule } from '../registrations/registrations-data.module';
import { ReportsModule } from '../reports/reports.module';
import { AuditPageController } from './audit-page.controller';
import { ComingSoonController } from './coming-soon.controller';
import { ConsoleAdminGuard, ConsoleExceptionFilter, ConsoleSessionGuard } from './console-access';
import { ConsolePages } from './console-pages';
import { ConsoleCsrf, ConsoleCsrfGuard } from './csrf';
import { DashboardController } from './dashboard.controller';
import { DoorAccessGuard, DoorOrganizerGuard } from './door/door-access';
import { DoorPageController } from './door/door-page.controller';
import { DoorSignInController } from './door/door-sign-in.controller';
import { IMPORT_FILE_FIELD, MemberImportPageController } from './members/member-import-page.controller';
import { CompaniesPageController } from './members/companies-page.controller';
import { MembersPageController } from './members/members-page.controller';
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
 * form, the frame with the top bar, and the accounts pages. It sits on top of the modules whose
 * services it shows (auth, events, directory, notifications, link-tokens, reports) and owns no table.
 */
@Module({
  imports: [EventsModule, DirectoryModule, NotificationsModule, LinkTokensModule, ReportsModule, RegistrationsDataModule, CheckInModule],
  controllers: [
    SignInController,
    SignOutController,
    DashboardController,
    OrganizersPageController,
    TokensPageController,
    AuditPageController,
    ReportsPageController,
    SigsPageController,
    // Before MembersPageController: its /console/members/:id would take /console/members/import.
    MemberImportPageController,
    CompaniesPageController,
    MembersPageController,
    DoorPageController,
    DoorSignInController,
    ComingSoonController,
  ],
  providers: [
    ConsolePages,
    ConsoleCsrf,
    ConsoleCsrfGuard,
    ConsoleSessionGuard,
    ConsoleAdminGuard,
    ConsoleExceptionFilter,
    RequestSignIn,
    SignInWithLink,
    DoorAccessGuard,
    DoorOrganizerGuard,
  ],
})
export class ConsoleModule implements NestModule {
  /**
   * The member import's upload is a multipart form, read here, before the guards: the CSRF guard
   * finds its token among the form's fields (an interceptor would read the form only after it).
   * The file stays in memory, as the JSON import's body does, within the same 10 MB.
   */
  configure(consumer: MiddlewareConsumer): void {
    // defParamCharset: browsers send a file name as UTF-8 bytes (WHATWG HTML), not the latin1 busboy assumes.
    const upload = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: MEMBER_FILE_LIMIT, files: 1, fields: 10 } }).single(
      IMPORT_FILE_FIELD,
    );
    consumer
      .apply((request: Request, response: Response, next: NextFunction) =>
        upload(request, response, (error?: unknown) => {
          if (!(error instanceof multer.MulterError)) return next(error);
          next(
            error.code === 'LIMIT_FILE_SIZE'
              ? new PayloadTooLargeException([`file must be at most ${MEMBER_FILE_LIMIT / 1024 / 1024} MB`])
              : new BadRequestException([`the form must carry one CSV file in the field ${IMPORT_FILE_FIELD} (${error.message})`]),
          );
        }),
      )
      .forRoutes({ path: 'console/members/import', method: RequestMethod.POST });
  }
}

/** As POST /api/members/import's body limit (bootstrap.ts). */
const MEMBER_FILE_LIMIT = 10 * 1024 * 1024;
