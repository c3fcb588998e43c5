/**
 * Runs the project's contract classes in-process the way fabric-contract-api dispatches them on a
 * peer: `contract:function`, a fresh context with the stub and client identity, then
 * `beforeTransaction`, `aroundTransaction` (which calls the function), `afterTransaction`.
 */
import { Contract } from 'fabric-contract-api';
import { LedgerError, isLedgerError, parseLedgerError } from '@rtl/chaincode/errors';
import { EmbeddedClientIdentity } from './client-identity';
import { canonicalJson } from './hashing';
import { EmbeddedStub, type ChaincodeEvent, type HistoryReader, type Proposal } from './stub';
import type { RwSet } from './rwset';
import type { StateTree } from './world-state';

/** What simulating a proposal produced (the "proposal response"). */
export interface Simulation {
  /** The function's return value as a string; undefined when it returned nothing. */
  response: string | undefined;
  rwset: RwSet;
  event: ChaincodeEvent | undefined;
}

interface ContractEntry {
  contract: Contract;
  /** Transaction functions, found as fabric-contract-api finds them without metadata. */
  functions: ReadonlySet<string>;
}

// Methods every contract inherits; never callable as transactions.
const BASE_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Contract.prototype));

/**
 * fabric-contract-api (no decorators) exposes the functions declared directly on the contract's
 * class, minus `constructor`, `_`-prefixed names and the Contract base methods.
 */
function transactionFunctions(contract: Contract): Set<string> {
  const names = new Set<string>();
  const proto = Object.getPrototypeOf(contract) as object;
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (name === 'constructor' || name.startsWith('_') || BASE_NAMES.has(name)) continue;
    if (typeof (contract as unknown as Record<string, unknown>)[name] === 'function') names.add(name);
  }
  return names;
}

function responseToString(result: unknown): string | undefined {
  if (result === undefined || result === null) return undefined;
  if (typeof result === 'string') return result;
  if (result instanceof Uint8Array) return Buffer.from(result).toString('utf8');
  return canonicalJson(result);
}

/** Maps whatever a contract threw to a LedgerError, through the same path the Fabric adapter uses. */
export function toLedgerError(err: unknown): LedgerError {
  const message = err instanceof Error ? err.message : String(err);
  const parsed = parseLedgerError(message);
  if (parsed) return parsed;
  if (isLedgerError(err)) return err;
  return new LedgerError('INTERNAL', message);
}

/** The installed contracts and how to invoke them. */
export class ChaincodeRuntime {
  private readonly contracts = new Map<string, ContractEntry>();

  constructor(
    contracts: readonly Contract[],
    private readonly log: (line: string) => void = () => {},
  ) {
    for (const contract of contracts) {
      // The flag covers contracts built against another copy of fabric-contract-api.
      if (!(contract instanceof Contract) && !(contract as { __isContract?: boolean }).__isContract) {
        throw new TypeError('every contract must be a fabric-contract-api Contract instance');
      }
      const name = contract.getName();
      if (this.contracts.has(name)) throw new TypeError(`two contracts are named "${name}"`);
      this.contracts.set(name, { contract, functions: transactionFunctions(contract) });
    }
  }

  /** Names of the installed contracts. */
  contractNames(): string[] {
    return [...this.contracts.keys()];
  }

  /**
   * Simulates a proposal against one committed snapshot. Rejects with a LedgerError when the
   * contract throws (the proposal is then never ordered, as an endorsement failure on Fabric).
   */
  async simulate(proposal: Proposal, state: StateTree, history: HistoryReader, peerMspId: string): Promise<Simulation> {
    const sep = proposal.fn.indexOf(':');
    const contractName = sep < 0 ? '' : proposal.fn.slice(0, sep);
    const method = sep < 0 ? proposal.fn : proposal.fn.slice(sep + 1);
    const entry = this.contracts.get(contractName);
    if (!entry) throw new LedgerError('LEDGER.UNKNOWN_FUNCTION', `Contract name is not known: ${contractName}`, { fn: proposal.fn });

    const stub = new EmbeddedStub(proposal, state, history, peerMspId);
    const { contract } = entry;
    const ctx = contract.createContext() as unknown as {
      setChaincodeStub(stub: unknown): void;
      setClientIdentity(id: unknown): void;
      logging?: unknown;
    };
    ctx.setChaincodeStub(stub);
    ctx.setClientIdentity(new EmbeddedClientIdentity(proposal.identity));
    ctx.logging = {
      setLevel: () => {},
      getLogger: () => this.contractLogger(contractName),
    };

    try {
      if (!entry.functions.has(method)) {
        // A contract that overrides unknownTransaction decides itself, as fabric-contract-api lets it.
        if (contract.unknownTransaction !== Contract.prototype.unknownTransaction) {
          await contract.unknownTransaction(ctx as never);
          return { response: undefined, rwset: stub.rwset, event: stub.event };
        }
        throw new LedgerError('LEDGER.UNKNOWN_FUNCTION', `You've asked to invoke a function that does not exist: ${method}`, {
          fn: proposal.fn,
        });
      }
      await contract.beforeTransaction(ctx as never);
      // aroundTransaction calls contract[method](ctx, argsJson) unless the contract wraps it.
      const result: unknown = await contract.aroundTransaction(ctx as never, method as never, [proposal.args]);
      await contract.afterTransaction(ctx as never, result);
      return { response: responseToString(result), rwset: stub.rwset, event: stub.event };
    } catch (err) {
      throw toLedgerError(err);
    } finally {
      stub.finish();
    }
  }

  private contractLogger(name: string): Record<'debug' | 'info' | 'warn' | 'error', (...args: unknown[]) => void> {
    const write = (level: string) => (...args: unknown[]) => this.log(`[${name}] ${level}: ${args.map(String).join(' ')}`);
    return { debug: () => {}, info: write('info'), warn: write('warn'), error: write('error') };
  }
}
