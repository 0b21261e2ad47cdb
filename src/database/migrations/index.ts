import { InitialSchema1764000000000 } from './1764000000000-InitialSchema';
import { CapacityWaitlistQuotas1764100000000 } from './1764100000000-CapacityWaitlistQuotas';
import { LifecycleNotices1764200000000 } from './1764200000000-LifecycleNotices';
import { CheckInCodes1764300000000 } from './1764300000000-CheckInCodes';
import { CalendarFeeds1764400000000 } from './1764400000000-CalendarFeeds';
import { DeliveryTracking1764500000000 } from './1764500000000-DeliveryTracking';
import { EventSeries1764600000000 } from './1764600000000-EventSeries';
import { CompanyDomainIndex1764700000000 } from './1764700000000-CompanyDomainIndex';
import { OutboxMessageKey1764800000000 } from './1764800000000-OutboxMessageKey';
import { OrganizerAccounts1764900000000 } from './1764900000000-OrganizerAccounts';
import { EventApprovals1765000000000 } from './1765000000000-EventApprovals';
import { Consents1766000000000 } from './1766000000000-Consents';
import { CompaniesAndSigs1767000000000 } from './1767000000000-CompaniesAndSigs';
import { SignInMail1796030433000 } from './1796030433000-SignInMail';
import { EventLeadHost1797050000000 } from './1797050000000-EventLeadHost';
import { EventAgenda1797100000000 } from './1797100000000-EventAgenda';
import { ManualSuppressions1797200000000 } from './1797200000000-ManualSuppressions';
import { MemberImports1797300000000 } from './1797300000000-MemberImports';
import { DoorPasses1797300000001 } from './1797300000001-DoorPasses';
import { EventKeywords1797400000000 } from './1797400000000-EventKeywords';
import { StandingBodies1797400100000 } from './1797400100000-StandingBodies';
import { ReportIndexes1797400200000 } from './1797400200000-ReportIndexes';
import { OutboxRequestId1797600000000 } from './1797600000000-OutboxRequestId';
import { OrganizerLocale1797700000000 } from './1797700000000-OrganizerLocale';

/** Every migration, in order. Listed rather than globbed so ts-jest, ts-node and the built app load the same set. */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  CapacityWaitlistQuotas1764100000000,
  LifecycleNotices1764200000000,
  CheckInCodes1764300000000,
  CalendarFeeds1764400000000,
  DeliveryTracking1764500000000,
  EventSeries1764600000000,
  CompanyDomainIndex1764700000000,
  OutboxMessageKey1764800000000,
  OrganizerAccounts1764900000000,
  EventApprovals1765000000000,
  Consents1766000000000,
  CompaniesAndSigs1767000000000,
  SignInMail1796030433000,
  EventLeadHost1797050000000,
  EventAgenda1797100000000,
  ManualSuppressions1797200000000,
  MemberImports1797300000000,
  DoorPasses1797300000001,
  EventKeywords1797400000000,
  StandingBodies1797400100000,
  ReportIndexes1797400200000,
  OutboxRequestId1797600000000,
  OrganizerLocale1797700000000,
];
