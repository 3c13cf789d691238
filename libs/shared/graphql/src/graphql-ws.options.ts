import type { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import type { EventEmitter } from 'node:events';
import { ExecutionArgs, ExecutionResult, GraphQLError, GraphQLFormattedError, subscribe } from 'graphql';
import type { Context, ServerOptions } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import { type Actor, RequestContext } from '#cairn/shared/tenancy';
import { enforceQueryLimits, QueryLimits } from './query-limits.plugin.js';
import { ErrorCode } from './error-code.js';

/** graphql-ws's own "Unauthorized" code: the client should reconnect with a fresh access token. */
export const TOKEN_EXPIRED_CLOSE_CODE = 4401;
/** "Going away": the client should reconnect (to another instance) and subscribe again. */
export const GOING_AWAY_CLOSE_CODE = 1001;
/**
 * Emitted on the HTTP server by closeGracefully when it starts draining. Upgraded sockets would otherwise hold
 * server.close() open until its deadline; their clients are told to go instead.
 */
export const HTTP_DRAINING_EVENT = 'cairn:draining';

type ConnectionParams = Record<string, unknown> | undefined;
type WsContext = Context<ConnectionParams, Extra>;

/**
 * What CredentialGuard and the passport strategies read from an HTTP request, rebuilt from the client's
 * `connectionParams`: the credential and nothing else, so the tenant can only come from a verified token.
 */
export interface WsRequest {
  headers: { authorization?: string; 'x-api-key'?: string };
  user?: unknown;
}

export function wsRequest(params: Readonly<ConnectionParams>): WsRequest {
  const headers: WsRequest['headers'] = {};
  const authorization = params?.authorization ?? params?.Authorization;
  if (typeof authorization === 'string') headers.authorization = authorization;
  // The header name CredentialGuard routes to the API-key strategy (shared/auth depends on us, not we on it).
  const apiKey = params?.['x-api-key'];
  if (typeof apiKey === 'string') headers['x-api-key'] = apiKey;
  return { headers };
}

/**
 * Re-verifies a socket's credential (implemented by shared/auth's guard module): false once the session or API
 * key behind it has ended. Resolved lazily, so the GraphQL module needs no auth import.
 */
export abstract class SubscriptionCredentialCheck {
  abstract stillValid(req: WsRequest): Promise<boolean>;
}

/** How often an open socket's credential is re-verified: a revoked session's subscriptions end within this. */
export const CREDENTIAL_RECHECK_MS = 5_000;

/** `exp` of a bearer token, in ms. Read only once the guard has verified the token, so it can be trusted. */
export function bearerExpiry(authorization: string | undefined): number | undefined {
  const payload = /^Bearer\s+[^.\s]+\.([^.\s]+)\.[^.\s]+$/i.exec(authorization ?? '')?.[1];
  if (!payload) return undefined;
  try {
    const exp = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))?.exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<ExecutionResult> =>
  typeof Object(value)[Symbol.asyncIterator] === 'function';

/**
 * Each event is resolved in a fresh request context of the subscriber (same tenant and user, new per-request
 * caches), as an HTTP request would be: field resolvers of the payload may use TenantDatabase and loaders.
 */
function perEventContext(
  source: AsyncIterable<ExecutionResult>,
  actor: Actor | undefined,
): AsyncGenerator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  const inContext = <T>(fn: () => T): T => (actor ? RequestContext.runAs(actor, fn) : RequestContext.run(fn));
  const generator = {
    next: () => inContext(() => iterator.next()),
    return: (value?: unknown) =>
      iterator.return ? iterator.return(value) : Promise.resolve({ value: undefined, done: true as const }),
    throw: (error?: unknown) => (iterator.throw ? iterator.throw(error) : Promise.reject(error)),
    [Symbol.asyncIterator]: () => generator,
  };
  return generator as unknown as AsyncGenerator<ExecutionResult>;
}

export interface GraphqlWsSettings {
  limits: QueryLimits;
  /** The HTTP path's formatError, so both transports send the same sanitised errors. */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** As Apollo's hideSchemaDetailsFromClientErrors: no "Did you mean …?" that would reveal the schema. */
  hideSchemaDetails?: boolean;
  /** The server the sockets were upgraded from (known only once the app is created, hence a function). */
  httpServer?: () => EventEmitter | undefined;
  /** Re-verifies a socket's credential every CREDENTIAL_RECHECK_MS; absent: only expiry closes the socket. */
  credentialCheck?: () => SubscriptionCredentialCheck | undefined;
}

/**
 * graphql-ws (the `graphql-transport-ws` protocol) for subscriptions on /graphql.
 *
 * - Authentication is per operation, by the same global CredentialGuard as HTTP: `connectionParams`
 *   `{ authorization: 'Bearer …' }` becomes a request-like `{ headers }` in the context. The connection itself
 *   is always accepted; a missing, invalid or expired token fails the subscription with UNAUTHENTICATED.
 * - Every operation runs inside its own RequestContext (HTTP gets one from middleware; sockets have none),
 *   which the guard fills with the verified actor.
 * - Only subscriptions: queries and mutations go over HTTP, where the whole Apollo pipeline applies.
 * - The socket is closed with 4401 when the access token it authenticated with expires or its session or API
 *   key is revoked (re-verified every CREDENTIAL_RECHECK_MS), and with 1001 when the server starts draining.
 */
export function graphqlWsOptions(settings: GraphqlWsSettings): GraphQLWsSubscriptionsConfig {
  const expiryTimers = new WeakMap<WsContext, NodeJS.Timeout>();
  const recheckTimers = new WeakMap<WsContext, NodeJS.Timeout>();
  const sockets = new Set<Extra['socket']>();
  let drainHooked = false;
  const hookDrain = () => {
    const server = settings.httpServer?.();
    if (drainHooked || !server) return;
    drainHooked = true;
    server.once(HTTP_DRAINING_EVENT, () => {
      for (const socket of sockets) socket.close(GOING_AWAY_CLOSE_CODE, 'Server is restarting; reconnect');
    });
  };
  const format = (errors: readonly GraphQLError[]) => errors.map((e) => settings.formatError(e.toJSON(), e));

  const options: ServerOptions<ConnectionParams, Extra> = {
    context: (ctx) => ({ req: wsRequest(ctx.connectionParams) }),

    onConnect: (ctx) => {
      hookDrain();
      sockets.add(ctx.extra.socket);
      return true;
    },

    subscribe: (args: ExecutionArgs) =>
      RequestContext.run(async () => {
        try {
          enforceQueryLimits(
            {
              schema: args.schema,
              document: args.document,
              operationName: args.operationName,
              variables: args.variableValues,
            },
            settings.limits,
          );
        } catch (error) {
          if (error instanceof GraphQLError) return { errors: [error] };
          throw error;
        }
        const result = await subscribe(args);
        return isAsyncIterable(result) ? perEventContext(result, RequestContext.actor()) : result;
      }),

    execute: () => ({
      errors: [
        new GraphQLError(
          'Only subscriptions are served over WebSocket; send queries and mutations to POST /graphql',
          { extensions: { code: ErrorCode.BAD_REQUEST } },
        ),
      ],
    }),

    onOperation: (ctx, _id, _payload, args) => {
      const req = (args.contextValue as { req?: WsRequest } | undefined)?.req;
      const check = req?.user ? settings.credentialCheck?.() : undefined;
      if (req && check && !recheckTimers.has(ctx)) {
        const recheck = setInterval(() => {
          void check.stillValid(req).then((valid) => {
            if (!valid) ctx.extra.socket.close(TOKEN_EXPIRED_CLOSE_CODE, 'Credential revoked');
          });
        }, CREDENTIAL_RECHECK_MS);
        recheck.unref();
        recheckTimers.set(ctx, recheck);
      }
      const expiresAt = req?.user ? bearerExpiry(req.headers.authorization) : undefined;
      if (expiresAt === undefined || expiryTimers.has(ctx)) return;
      const timer = setTimeout(
        () => ctx.extra.socket.close(TOKEN_EXPIRED_CLOSE_CODE, 'Access token expired'),
        Math.max(0, expiresAt - Date.now()),
      );
      timer.unref();
      expiryTimers.set(ctx, timer);
    },

    onClose: (ctx) => {
      sockets.delete(ctx.extra.socket);
      clearTimeout(expiryTimers.get(ctx));
      expiryTimers.delete(ctx);
      clearInterval(recheckTimers.get(ctx));
      recheckTimers.delete(ctx);
    },

    onNext: (_ctx, _id, _payload, _args, result) =>
      result.errors ? { ...result, errors: format(result.errors) } : undefined,

    // Errors before execution: validation failures carry no code of their own (Apollo adds one over HTTP).
    onError: (_ctx, _id, _payload, errors) =>
      format(
        errors.map((e) =>
          e.extensions?.code || e.originalError
            ? e
            : new GraphQLError(
                settings.hideSchemaDetails ? e.message.replace(/ Did you mean .+\?$/, '') : e.message,
                {
                  nodes: e.nodes,
                  extensions: { ...e.extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
                },
              ),
        ),
      ),
  };
  // GqlSubscriptionService spreads all of these into graphql-ws's useServer; its type names only a few.
  return options as GraphQLWsSubscriptionsConfig;
}
