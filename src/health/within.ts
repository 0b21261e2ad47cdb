/** How long a health check waits for PostgreSQL or the queue before calling it down. */
export const CHECK_TIMEOUT_MS = 2000;

/** `work`, or a rejection naming the wait when it does not settle within `ms`: a hung dependency must not hang the probe. */
export async function within<T>(work: Promise<T>, ms = CHECK_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
