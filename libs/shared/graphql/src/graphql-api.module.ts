import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE, HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { GraphQLFormattedError } from 'graphql';
import { AppConfig } from '#cairn/shared/config';
import { ErrorCode } from './error-code.js';
import { ApiExceptionFilter } from './exception.filter.js';
import { GRAPHQL_PATH } from './graphql-http-guard.js';
import { graphqlWsOptions, SubscriptionCredentialCheck } from './graphql-ws.options.js';
import { requestEndPlugin } from './request-end.plugin.js';
import { queryLimitsPlugin } from './query-limits.plugin.js';
import { subscriptionsOverWebSocketPlugin } from './subscriptions-over-websocket.plugin.js';
import { createValidationPipe } from './validation.pipe.js';

const logger = new Logger('GraphQL');

/** Codes Apollo itself assigns for protocol-level problems; their messages are safe to pass on. */
const APOLLO_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);
const OUR_CODES = new Set<string>(Object.values(ErrorCode));

/** Last line of defence: no stack traces, and any error without a known code becomes a generic one. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
  const code = typeof extensions.code === 'string' ? extensions.code : undefined;
  if (code && code !== ErrorCode.INTERNAL_SERVER_ERROR && (OUR_CODES.has(code) || APOLLO_CODES.has(code))) {
    return { ...formatted, extensions };
  }
  if (code !== ErrorCode.INTERNAL_SERVER_ERROR || formatted.message !== 'Internal server error') {
    logger.error({ err: error, path: formatted.path }, 'Unhandled GraphQL error');
  }
  return {
    message: 'Internal server error',
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}

/** A provider registered anywhere in the app, or undefined when none is (a test module, the schema printer). */
function optionalProvider<T>(moduleRef: ModuleRef, token: abstract new (...args: never[]) => T): T | undefined {
  try {
    return moduleRef.get(token, { strict: false });
  } catch {
    return undefined;
  }
}

@Module({})
export class GraphqlApiModule {
  static forRoot(): DynamicModule {
    return {
      module: GraphqlApiModule,
      imports: [
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [AppConfig, HttpAdapterHost, ModuleRef],
          useFactory: (config: AppConfig, adapterHost: HttpAdapterHost, moduleRef: ModuleRef) => ({
            autoSchemaFile: true,
            sortSchema: true,
            path: GRAPHQL_PATH,
            playground: false,
            introspection: !config.isProduction,
            // Apollo 5: no "Did you mean …?" suggestions that would reveal the schema in production.
            hideSchemaDetailsFromClientErrors: config.isProduction,
            includeStacktraceInErrorResponses: false,
            formatError,
            plugins: [
              // Nothing sets cache hints; left on, the plugin wraps every field's resolver on every request.
              ApolloServerPluginCacheControlDisabled(),
              requestEndPlugin(),
              subscriptionsOverWebSocketPlugin(),
              queryLimitsPlugin({
                maxDepth: config.GRAPHQL_MAX_DEPTH,
                maxComplexity: config.GRAPHQL_MAX_COMPLEXITY,
              }),
            ],
            context: ({ req, res }: { req: unknown; res: unknown }) => ({ req, res }),
            // Subscriptions over graphql-ws only (no legacy subscriptions-transport-ws), on the same path.
            subscriptions: {
              'graphql-ws': graphqlWsOptions({
                limits: { maxDepth: config.GRAPHQL_MAX_DEPTH, maxComplexity: config.GRAPHQL_MAX_COMPLEXITY },
                formatError,
                hideSchemaDetails: config.isProduction,
                httpServer: () => adapterHost.httpAdapter?.getHttpServer(),
                credentialCheck: () => optionalProvider(moduleRef, SubscriptionCredentialCheck),
              }),
            },
          }),
        }),
      ],
      providers: [
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
