import type { ApolloServerPlugin } from '@apollo/server';
import { RequestContext } from '#cairn/shared/tenancy';

/**
 * Ends the request's lifetime once the operation has been executed and before the response is written: the
 * shared read transaction commits and its connection goes back to the pool while the response is still being
 * serialized and sent, not after the client has read it.
 */
export function requestEndPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse() {
          await RequestContext.lifetime()?.end();
        },
      };
    },
  };
}
