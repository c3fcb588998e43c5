/**
 * Accounts and access for the gateway: users and roles, passwords (scrypt), session tokens,
 * API keys, login rate limiting, authorisation helpers, the audit log and the auth router.
 */
export { ApiKeyStore, apiKeyPrefix, generateApiKey, hashApiKey, type ApiKeyInfo, type ApiKeyMaterial } from './api-keys';
export { AuditLog, auditWrites, listAudit, outcomeOfStatus, redactSecrets, type AuditEntry, type AuditInput, type AuditOutcome, type AuditPage, type AuditQuery } from './audit';
export { DEMO_ACCOUNTS, seedDemoUsers, type DemoAccount, type DemoUsersOutcome } from './demo-accounts';
export type { AuthEnv, AuthVariables } from './env';
export { canActForCollective, canReadParty, COLLECTIVE_MSP, isRegulator, ledgerIdentityFor, mspIdFor, ROLES, type AuthUser, type Role } from './identity';
export { assertRole, authenticate, clientIp, requireRole } from './middleware';
export { hashPassword, needsRehash, passwordProblems, passwordSchema, verifyPassword, DEFAULT_SCRYPT_PARAMS, PASSWORD_MIN_LENGTH, type ScryptParams } from './passwords';
export { DEFAULT_LOGIN_LIMITS, LoginRateLimiter, type FailureLimit, type LoginRateLimitOptions } from './rate-limit';
export { authRouter, type AuthRouter, type AuthRouterDeps } from './router';
export { AUTH_MIGRATIONS, AUTH_SCHEMA, migrateAuth } from './schema';
export { AuthService, authOptionsFromConfig, DEFAULT_SESSION_TTL_MINUTES, type AuthOptions, type Authenticated, type LoginResult } from './service';
export { checkToken, signToken, type TokenPayload } from './tokens';
export { toAuthUser, UserStore, type NewUser, type UserRecord } from './users';
