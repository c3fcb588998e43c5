/**
 * The base of every ledger contract: a context that collects changes, and one chaincode event per
 * transaction carrying all of them (Fabric keeps only the last `setEvent` of a transaction).
 */
import { Contract } from 'fabric-contract-api';
import { canonicalJson } from '@rtl/distribution/canonical-json';
import { LedgerError } from './errors';
import { LedgerContext } from './ledger-context';

/** Name of the single event every changing transaction emits. */
export const LEDGER_EVENT = 'ledger.changes';

/** Payload of the ledger event. */
export interface LedgerEventPayload {
  txId: string;
  fn: string;
  at: string;
  changes: LedgerContext['changes'];
}

/** Base class of the ledger's contracts. */
export class LedgerContract extends Contract {
  override createContext(): LedgerContext {
    return new LedgerContext();
  }

  override async beforeTransaction(ctx: LedgerContext): Promise<void> {
    const fn = ctx.stub.getFunctionAndParameters().fcn;
    ctx.fn = fn.includes(':') ? fn : `${this.getName()}:${fn}`;
    ctx.changes = [];
  }

  override async afterTransaction(ctx: LedgerContext, _result: unknown): Promise<void> {
    if (ctx.changes.length === 0) return;
    const payload: LedgerEventPayload = {
      txId: ctx.stub.getTxID(),
      fn: ctx.fn,
      at: ctx.stub.getDateTimestamp().toISOString(),
      changes: ctx.changes,
    };
    ctx.stub.setEvent(LEDGER_EVENT, Buffer.from(canonicalJson(payload)));
  }

  override async unknownTransaction(ctx: LedgerContext): Promise<void> {
    throw new LedgerError('LEDGER.UNKNOWN_FUNCTION', `unknown function ${ctx.stub.getFunctionAndParameters().fcn}`, {});
  }
}
