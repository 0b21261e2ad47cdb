import { Global, Module } from '@nestjs/common';
import { OrganizerAuth, OrganizerGuard } from './organizer-auth';

@Global()
@Module({ providers: [OrganizerAuth, OrganizerGuard], exports: [OrganizerAuth, OrganizerGuard] })
export class AuthModule {}
