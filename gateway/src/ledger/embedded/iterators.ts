/**
 * Query iterators shaped like fabric-shim's: `await it.next()` / `await it.close()`, and the
 * promise returned by the stub is itself async-iterable so `for await (const kv of
 * stub.getStateByRange(a, b))` works as it does on a peer.
 */

/** A state entry returned by range and partial-composite-key queries. */
export interface KV {
  namespace: string;
  key: string;
  value: Buffer;
}

/** Timestamp as fabric-shim's history iterator returns it (protobuf `toObject()`). */
export interface TimestampObject {
  seconds: number;
  nanos: number;
}

/** One committed change of a key, as returned by `getHistoryForKey`. */
export interface KeyModification {
  txId: string;
  timestamp: TimestampObject;
  isDelete: boolean;
  value: Buffer;
}

/** Result of `next()`: `{ value, done: false }` or `{ done: true }`. */
export type NextResult<T> = { value: T; done: false } | { value?: undefined; done: true };

/** fabric-shim's `CommonIterator` contract. */
export class QueryIterator<T> {
  private closed = false;

  /**
   * @param source yields the results lazily
   * @param guard throws once the transaction is over (iterators do not outlive it on a peer)
   * @param onExhausted called when the source ran dry
   */
  constructor(
    private readonly source: Iterator<T>,
    private readonly guard: () => void = () => {},
    private readonly onExhausted: () => void = () => {},
  ) {}

  async next(): Promise<NextResult<T>> {
    this.guard();
    if (this.closed) return { done: true };
    const r = this.source.next();
    if (r.done) {
      this.closed = true;
      this.onExhausted();
      return { done: true };
    }
    return { value: r.value, done: false };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Attaches fabric-shim's `[Symbol.asyncIterator]` to the promise of an iterator. */
export function asyncIterablePromise<T>(promise: Promise<QueryIterator<T>>): Promise<QueryIterator<T>> & AsyncIterable<T> {
  // An unobserved rejection would otherwise surface as unhandled when the chaincode only iterates.
  promise.catch(() => {});
  const iterable = promise as Promise<QueryIterator<T>> & AsyncIterable<T>;
  iterable[Symbol.asyncIterator] = () => {
    let it: QueryIterator<T> | undefined;
    return {
      next: async (): Promise<IteratorResult<T>> => {
        it ??= await promise;
        const r = await it.next();
        if (r.done) {
          await it.close();
          return { value: undefined, done: true };
        }
        return { value: r.value, done: false };
      },
      return: async (): Promise<IteratorResult<T>> => {
        await it?.close();
        return { value: undefined, done: true };
      },
    };
  };
  return iterable;
}
