/**
 * Turns what `@hyperledger/fabric-gateway` throws into the ledger's stable error codes. A chaincode
 * error reaches us as the message of an endorser's response, carried in the gRPC status details
 * (`GatewayError.details[].message`); `parseLedgerError` restores the chaincode's own `LedgerError`
 * from the JSON envelope it put there. Nothing here branches on human-readable text.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { GatewayError } from '@hyperledger/fabric-gateway';
import { isLedgerError, LedgerError, parseLedgerError } from '@rtl/chaincode';

/** The call that failed: each has its own deadline and its own meaning of failure. */
export type FabricPhase = 'evaluate' | 'endorse' | 'submit' | 'commitStatus' | 'query' | 'events';

/** gRPC codes that mean the peer (or the orderer behind it) could not be reached in time. */
const unreachable: ReadonlySet<number> = new Set([GrpcStatus.UNAVAILABLE, GrpcStatus.DEADLINE_EXCEEDED, GrpcStatus.CANCELLED]);

/** The chaincode's own error, if any endorser (or the status message itself) carries its envelope. */
export function chaincodeErrorOf(e: GatewayError): LedgerError | undefined {
  for (const d of e.details) {
    const parsed = parseLedgerError(d.message);
    if (parsed) return parsed;
  }
  // Evaluate calls also copy the endorser's message into the status message.
  const statusMessage = typeof e.cause?.details === 'string' ? e.cause.details : '';
  return parseLedgerError(statusMessage);
}

/** Whether an error means a peer could not be reached (worth retrying later, or elsewhere). */
export function isUnreachable(e: unknown): boolean {
  if (isLedgerError(e)) return e.code === 'LEDGER.UNAVAILABLE';
  return e instanceof GatewayError && unreachable.has(e.code);
}

/** Maps an error thrown in one phase of a call to a `LedgerError`. */
export function toLedgerError(e: unknown, phase: FabricPhase, context: Record<string, unknown> = {}): LedgerError {
  if (isLedgerError(e)) return e;
  if (e instanceof GatewayError) {
    const fromChaincode = chaincodeErrorOf(e);
    if (fromChaincode) return fromChaincode;
    const endorsers = e.details.map((d) => ({ mspId: d.mspId, address: d.address, message: d.message }));
    const details = { ...context, phase, grpcCode: GrpcStatus[e.code] ?? e.code, ...(endorsers.length > 0 && { endorsers }) };
    // FAILED_PRECONDITION at endorsement: discovery knows no set of reachable peers that satisfies
    // the policy (e.g. the regulator's peer is down, or a restarted peer has not re-learnt its
    // channel membership through gossip yet): an availability problem, not a rejected write.
    if (unreachable.has(e.code) || (phase === 'endorse' && e.code === GrpcStatus.FAILED_PRECONDITION)) {
      // After a submit the transaction may still commit: the caller can repeat the same command.
      return new LedgerError('LEDGER.UNAVAILABLE', `Fabric ${phase} did not complete: ${e.message}`, details);
    }
    if (phase === 'endorse' || phase === 'submit') return new LedgerError('LEDGER.ENDORSEMENT_FAILED', `Fabric ${phase} failed: ${e.message}`, details);
    return new LedgerError('INTERNAL', `Fabric ${phase} failed: ${e.message}`, details);
  }
  const message = e instanceof Error ? e.message : String(e);
  return new LedgerError('INTERNAL', `Fabric ${phase} failed: ${message}`, { ...context, phase });
}
