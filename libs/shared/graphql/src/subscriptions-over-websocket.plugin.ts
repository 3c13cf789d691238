import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from './error-code.js';

/**
 * A subscription sent over HTTP is refused before it runs, with a 400 that says where subscriptions live:
 * Apollo would otherwise execute it, get a stream back where it expects a result, and answer 500. Only the
 * HTTP path passes Apollo's plugins; graphql-ws executes subscriptions itself.
 */
export function subscriptionsOverWebSocketPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart(): Promise<GraphQLRequestListener<object>> {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw new GraphQLError(
            'Subscriptions are served over WebSocket (the graphql-ws protocol) on this same path, not over HTTP',
            { extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } } },
          );
        },
      };
    },
  };
}
