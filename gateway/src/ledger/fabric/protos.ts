/**
 * Fabric's protocol buffers, loaded from the copy `@hyperledger/fabric-gateway` itself depends on.
 * The repository also holds an older copy (a dependency of fabric-shim, hoisted to the root); the
 * blocks the gateway client hands us are instances of its own copy, so we decode with that one too.
 * The older copy only supplies the type declarations, which are the same for the messages we use.
 */
import { createRequire } from 'node:module';

type FabricProtos = typeof import('@hyperledger/fabric-protos');

const requireHere = createRequire(import.meta.url);
const requireFromGateway = createRequire(requireHere.resolve('@hyperledger/fabric-gateway'));

/** The `@hyperledger/fabric-protos` module that `@hyperledger/fabric-gateway` uses. */
export const protos = requireFromGateway('@hyperledger/fabric-protos') as FabricProtos;

/** Message types of the `common` package (blocks, envelopes, headers). */
export const common = protos.common;
/** Message types of the `peer` package (transactions, chaincode actions and events). */
export const peer = protos.peer;

/** A decoded block, as both copies declare it. */
export type Block = InstanceType<FabricProtos['common']['Block']>;
