/**
 * The transaction context of every ledger contract: Fabric's context plus the list of changes the
 * transaction made, which `afterTransaction` turns into the transaction's single chaincode event.
 */
import { Context } from 'fabric-contract-api';

/** One change a transaction made, as the read model receives it. */
export interface LedgerChange {
  /** Record type, e.g. `party`, `work`, `entry`, `licence`. */
  type: string;
  id: string;
  action: 'created' | 'updated' | 'posted';
  /** The record as written (canonical JSON-compatible). */
  data: unknown;
}

/** Context with the changes collected during one transaction. */
export class LedgerContext extends Context {
  /** Changes in write order; emitted as one event after the transaction function returns. */
  changes: LedgerChange[] = [];
  /** Name of the running function, `contract:method`. */
  fn = '';
}
