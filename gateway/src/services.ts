/**
 * Everything a router needs, built once at start and passed down: the ledger port, the PostgreSQL
 * connection of the read model and accounts, the projector (for read-your-writes), accounts and
 * access, and the configuration.
 */
import type postgres from 'postgres';
import type { AuthService } from './auth/service';
import type { GatewayConfig } from './config';
import type { LedgerPort } from './ledger/port';
import type { Projector } from './readmodel/projector';

/** The gateway's shared services. */
export interface Services {
  config: GatewayConfig;
  ledger: LedgerPort;
  /** Read model (`rm`), accounts (`auth`) and off-chain detail live in this database. */
  sql: postgres.Sql;
  projector: Projector;
  auth: AuthService;
  log: (line: string) => void;
}
