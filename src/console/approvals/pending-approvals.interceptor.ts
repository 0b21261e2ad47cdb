import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, Observable, switchMap } from 'rxjs';
import { principalOf } from '../../auth/principal';
import { EventApprovalsRepository } from '../../events/approvals/event-approvals.repository';

const counts = new WeakMap<Request, number>();

/** The count of approvals waiting on the organizer's clusters, looked up for the page being rendered (null before it is). */
export function pendingApprovalsOf(request: Request): number | null {
  return counts.get(request) ?? null;
}

/**
 * Looks up, before a console page's handler runs, how many approvals wait on the signed-in
 * organizer's clusters (all clusters for an admin), for the count beside 승인 요청 in the menu:
 * one small query, so every page's menu shows it without each controller asking.
 */
@Injectable()
export class PendingApprovalsInterceptor implements NestInterceptor {
  constructor(private readonly approvals: EventApprovalsRepository) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const principal = principalOf(request);
    if (principal?.via !== 'session' || request.method !== 'GET') return next.handle();
    return from(this.approvals.countWaitingOn(principal.role === 'admin' ? null : principal.clusters)).pipe(
      switchMap((count) => {
        counts.set(request, count);
        return next.handle();
      }),
    );
  }
}
