/**
 * Thrown by the composers when a row no longer calls for a mail: an invitation, confirmation,
 * update or reminder for an event cancelled since the row was written (sending it would put the
 * event back into a calendar that the cancellation just cleared), or a sign-in link that expired
 * before the mail could go out. The row is marked skipped instead.
 */
export class MailNotNeeded extends Error {}
