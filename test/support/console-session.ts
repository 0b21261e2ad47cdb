import { ConsoleClient, signInToken } from './console-client';
import type { TestApp } from './test-app';

/** A console client signed in as `email` (an organizer) through the emailed link, as a browser would. */
export async function signedInConsole(t: TestApp, email: string): Promise<ConsoleClient> {
  const browser = new ConsoleClient(t.url);
  const before = t.mailbox.to(email).length;
  await browser.get('/console/sign-in');
  await browser.post('/console/sign-in', { email });
  await t.mailbox.waitFor(() => t.mailbox.to(email).length > before, `sign-in mail to ${email}`);
  const token = signInToken(t.mailbox.to(email).at(-1)!.parsed.text);
  await browser.get(`/console/sign-in/${token}`);
  const done = await browser.post(`/console/sign-in/${token}`);
  if (done.status !== 303) throw new Error(`sign-in of ${email} answered ${done.status}`);
  return browser;
}
