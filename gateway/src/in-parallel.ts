/**
 * Runs independent asynchronous steps with a bound on how many are in flight: ledger commands
 * that touch disjoint keys commit in parallel on either ledger, where one at a time each waits for
 * its block.
 */

/**
 * Calls `work` on every item, at most `limit` at a time, in item order of starting; `onDone` gets
 * the number finished after each. After a step fails no further step starts; the ones in flight
 * finish, then the first failure is thrown.
 */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>, onDone: (done: number) => void = () => {}): Promise<void> {
  let next = 0;
  let done = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (next < items.length && !failure) {
      const i = next++;
      try {
        await work(items[i]!, i);
      } catch (error) {
        failure ??= { error };
        return;
      }
      onDone(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure) throw failure.error;
}
