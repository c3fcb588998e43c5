/**
 * The auth router: sign-in and sign-out, who am I, and the signed-in user's API keys. Described
 * with `@hono/zod-openapi`, so the routes appear in the gateway's OpenAPI document. Mount it with
 * `app.route('/auth', authRouter({ auth }))`; the app's `onError` renders the `HttpError`s it
 * throws, and the app-level `auditWrites()` records its writes (handlers name the action).
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HttpError } from '../http/http-error';
import type { ApiKeyInfo } from './api-keys';
import type { AuthEnv } from './env';
import { ROLES, type AuthUser } from './identity';
import { assertRole, authenticate, clientIp as socketIp } from './middleware';
import type { AuthService } from './service';

/** What the auth router needs. */
export interface AuthRouterDeps {
  auth: AuthService;
  /** The client's IP for login rate limiting; defaults to the socket's address. */
  clientIp?: (c: Context) => string;
}

const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'AUTH.UNAUTHENTICATED' }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()),
    }),
  })
  .openapi('Error');

const UserView = z
  .object({
    id: z.string(),
    username: z.string(),
    role: z.enum(ROLES),
    collectiveId: z.string().optional(),
    partyId: z.string().optional(),
    mspId: z.string().optional(),
    displayName: z.string().optional(),
  })
  .openapi('AuthUser');

const ApiKeyView = z
  .object({
    id: z.string(),
    label: z.string(),
    prefix: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

type ErrorStatus = 400 | 401 | 403 | 404 | 429;
const errors = <S extends ErrorStatus>(...statuses: S[]) =>
  Object.fromEntries(statuses.map((s) => [s, { content: { 'application/json': { schema: ErrorBody } }, description: DESCRIPTIONS[s] }])) as unknown as {
    [K in S]: { content: { 'application/json': { schema: typeof ErrorBody } }; description: string };
  };

const DESCRIPTIONS = {
  400: 'Invalid input (`VALIDATION.INVALID_ARGUMENT`, with the offending field)',
  401: 'Not signed in, or wrong credentials (`AUTH.UNAUTHENTICATED`, `AUTH.INVALID_CREDENTIALS`)',
  403: 'Signed in, but not allowed (`AUTH.FORBIDDEN`)',
  404: 'No such record (`NOT_FOUND`)',
  429: 'Too many failed sign-ins (`AUTH.RATE_LIMITED`); see `Retry-After`',
} as const;

// Declared with a wide type: inline literals (`[{ bearerAuth: [] }]`) make zod-openapi infer the
// route's input as never.
const SESSION: Array<Record<string, string[]>> = [{ bearerAuth: [] }];
const SESSION_OR_KEY: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { apiKeyAuth: [] }];

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

const loginRoute = createRoute({
  method: 'post',
  path: '/login',
  tags: ['auth'],
  summary: 'Sign in with a username and password; returns a session token for `Authorization: Bearer`',
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            username: z.string().min(1).max(64).openapi({ example: 'music-operator' }),
            password: z.string().min(1).max(256),
          }),
        },
      },
    },
  },
  responses: {
    200: json(z.object({ token: z.string(), expiresAt: z.string().openapi({ format: 'date-time' }), user: UserView }), 'Signed in'),
    ...errors(400, 401, 429),
  },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/logout',
  tags: ['auth'],
  summary: 'Revoke the session token of this request',
  security: SESSION,
  responses: { 200: json(z.object({ revoked: z.boolean() }), 'Signed out'), ...errors(400, 401) },
});

const meRoute = createRoute({
  method: 'get',
  path: '/me',
  tags: ['auth'],
  summary: 'The signed-in user',
  security: SESSION_OR_KEY,
  responses: { 200: json(z.object({ user: UserView }), 'The signed-in user'), ...errors(401) },
});

const createKeyRoute = createRoute({
  method: 'post',
  path: '/api-keys',
  tags: ['auth'],
  summary: 'Create an API key for a machine client; the key is shown in this response only',
  security: SESSION,
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: z.object({ label: z.string().trim().min(1).max(100).openapi({ example: 'usage upload from the POS system' }) }) } },
    },
  },
  responses: {
    201: json(ApiKeyView.extend({ key: z.string().openapi({ example: 'rtl_0123456789ab_…' }) }), 'The new key (store it now: it cannot be shown again)'),
    ...errors(400, 401, 403),
  },
});

const listKeysRoute = createRoute({
  method: 'get',
  path: '/api-keys',
  tags: ['auth'],
  summary: "The signed-in user's API keys (never the keys themselves)",
  security: SESSION_OR_KEY,
  responses: { 200: json(z.object({ items: z.array(ApiKeyView) }), 'API keys, newest first'), ...errors(401) },
});

const revokeKeyRoute = createRoute({
  method: 'delete',
  path: '/api-keys/{id}',
  tags: ['auth'],
  summary: 'Revoke one of your API keys',
  security: SESSION_OR_KEY,
  request: { params: z.object({ id: z.string().uuid() }) },
  responses: { 200: json(ApiKeyView, 'The revoked key'), ...errors(400, 401, 404) },
});

function keyView(k: ApiKeyInfo): z.infer<typeof ApiKeyView> {
  return {
    id: k.id,
    label: k.label,
    prefix: k.prefix,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

function userView(u: AuthUser): z.infer<typeof UserView> {
  return { ...u };
}

/** Builds the auth router (see the module comment for mounting). */
export function authRouter(deps: AuthRouterDeps) {
  const { auth } = deps;
  const ipOf = deps.clientIp ?? ((c: Context) => socketIp(c));
  const signedIn = authenticate(auth);
  const app = new OpenAPIHono<AuthEnv>({
    // Validation failures become 400 VALIDATION.INVALID_ARGUMENT naming the field, like every other bad input.
    defaultHook: (result) => {
      if (!result.success) throw HttpError.fromZod(result.error, result.target);
    },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', description: 'Session token from POST /auth/login' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKeyAuth', { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'API key (also accepted as `Authorization: ApiKey <key>`)' });
  app.use('/logout', signedIn);
  app.use('/me', signedIn);
  app.use('/api-keys', signedIn);
  app.use('/api-keys/*', signedIn);

  return app
    .openapi(loginRoute, async (c) => {
      const { username, password } = c.req.valid('json');
      c.set('auditAction', 'auth.login');
      c.set('auditTarget', `user:${username}`);
      const result = await auth.login(username, password, ipOf(c));
      c.set('user', result.user);
      return c.json({ token: result.token, expiresAt: result.expiresAt.toISOString(), user: userView(result.user) }, 200);
    })
    .openapi(logoutRoute, async (c) => {
      assertRole(c.get('user'));
      c.set('auditAction', 'auth.logout');
      const sid = c.get('sessionId');
      if (c.get('authMethod') !== 'session' || !sid) {
        throw new HttpError('VALIDATION.INVALID_ARGUMENT', 'logout ends a session; an API key is revoked with DELETE /auth/api-keys/{id}', { field: 'authorization' });
      }
      return c.json({ revoked: await auth.logout(sid) }, 200);
    })
    .openapi(meRoute, (c) => c.json({ user: userView(assertRole(c.get('user'))) }, 200))
    .openapi(createKeyRoute, async (c) => {
      const user = assertRole(c.get('user'));
      c.set('auditAction', 'auth.api_key.create');
      // A leaked key must not be able to mint more keys: creating one needs a signed-in person.
      if (c.get('authMethod') !== 'session') throw new HttpError('AUTH.FORBIDDEN', 'API keys are created from a signed-in session, not with another API key');
      const created = await auth.createApiKey(user.id, c.req.valid('json').label);
      c.set('auditTarget', `api_key:${created.id}`);
      c.set('auditDetails', { prefix: created.prefix, label: created.label });
      return c.json({ ...keyView(created), key: created.key }, 201);
    })
    .openapi(listKeysRoute, async (c) => {
      const user = assertRole(c.get('user'));
      return c.json({ items: (await auth.apiKeys.list(user.id)).map(keyView) }, 200);
    })
    .openapi(revokeKeyRoute, async (c) => {
      const user = assertRole(c.get('user'));
      const { id } = c.req.valid('param');
      c.set('auditAction', 'auth.api_key.revoke');
      c.set('auditTarget', `api_key:${id}`);
      const revoked = await auth.apiKeys.revoke(user.id, id);
      if (!revoked) throw new HttpError('NOT_FOUND', `no API key ${id} of yours`, { field: 'id' });
      return c.json(keyView(revoked), 200);
    });
}

/** The auth router's type, for a typed client. */
export type AuthRouter = ReturnType<typeof authRouter>;
