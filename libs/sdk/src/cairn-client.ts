import { type Client as WsClient, createClient as createWsClient } from 'graphql-ws';
import type { TypedDocumentString } from './generated/graphql.js';

/** How a request proves who it is: an actAsClient (or user) access token, or a partner backend's API key. */
export type CairnCredential = { token: string } | { apiKey: string } | null;

export interface CairnClientOptions {
  /** The API's GraphQL endpoint, e.g. `http://localhost:3000/graphql` (a browser may pass a same-origin path). */
  url: string;
  /** graphql-ws endpoint for subscriptions, e.g. `ws://localhost:3000/graphql`; derived from `url` if absent. */
  wsUrl?: string;
  /** Asked before every request and (re)connection, so an expiring token can be swapped for a fresh one. */
  credential: () => CairnCredential | Promise<CairnCredential>;
  /** Node before 22 or a test double; defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Node: `WebSocket` from the `ws` package (browsers and Node 22+ have a global one). */
  webSocketImpl?: unknown;
  /**
   * The API refused the token: the socket closed with 4401, or a request answered UNAUTHENTICATED (then, with
   * this set, the request is sent once more with a fresh `credential()`; a clock ahead of the server's can make
   * a token look alive after it expired). Drop the cached token here.
   */
  onTokenRejected?: () => void;
  /** The socket is (re)connected: live events flow again; re-read what may have happened in between. */
  onConnected?: () => void;
  /** The socket closed; graphql-ws reconnects on its own. */
  onDisconnected?: () => void;
}

export interface CairnErrorEntry {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; fields?: Record<string, string>; [key: string]: unknown };
}

/** The API answered with errors (or not with GraphQL at all); `code` is the first error's `extensions.code`. */
export class CairnGraphqlError extends Error {
  constructor(
    readonly errors: CairnErrorEntry[],
    readonly status: number,
  ) {
    super(errors.map((e) => e.message).join('; ') || `HTTP ${status}`);
    this.name = 'CairnGraphqlError';
  }

  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }

  /** Field problems (`answers[0].scale` → why) of every error, as the API reports them. */
  get fields(): Record<string, string> {
    return Object.assign({}, ...this.errors.map((e) => e.extensions?.fields ?? {}));
  }
}

/** Variables are optional exactly when the operation has no required variable. */
type VariablesArg<V> = Record<string, never> extends V ? [variables?: V] : [variables: V];

export interface SubscriptionHandlers<R> {
  next: (data: R) => void;
  error?: (error: CairnGraphqlError | unknown) => void;
  complete?: () => void;
}

export interface CairnClient {
  /** One query or mutation over HTTP POST; resolves with `data`, rejects with {@link CairnGraphqlError}. */
  request<R, V>(document: TypedDocumentString<R, V>, ...variables: VariablesArg<V>): Promise<R>;
  /** A subscription over graphql-ws (one shared, lazily opened socket); returns what stops it. */
  subscribe<R, V>(
    document: TypedDocumentString<R, V>,
    handlers: SubscriptionHandlers<R>,
    ...variables: VariablesArg<V>
  ): () => void;
  /** Closes the socket, if one is open. */
  dispose(): Promise<void>;
}

const headersOf = (credential: CairnCredential): Record<string, string> =>
  credential === null
    ? {}
    : 'token' in credential
      ? { authorization: `Bearer ${credential.token}` }
      : { 'x-api-key': credential.apiKey };

/** A typed client for the documents in ./generated (see libs/sdk/src/operations). */
export function createCairnClient(options: CairnClientOptions): CairnClient {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let ws: WsClient | undefined;

  const socket = (): WsClient => {
    ws ??= createWsClient({
      url: options.wsUrl ?? wsUrlOf(options.url),
      webSocketImpl: options.webSocketImpl,
      lazy: true,
      // The server takes the bearer token from the connection parameters, once per connection.
      connectionParams: async () => headersOf(await options.credential()),
      shouldRetry: () => true,
      on: {
        connected: () => options.onConnected?.(),
        closed: (event) => {
          if ((event as { code?: number }).code === 4401) options.onTokenRejected?.();
          options.onDisconnected?.();
        },
      },
    });
    return ws;
  };

  const send = async <R, V>(document: TypedDocumentString<R, V>, variables: V | undefined): Promise<R> => {
    const res = await doFetch(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...headersOf(await options.credential()),
      },
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
    });
    let body: { data?: R | null; errors?: CairnErrorEntry[] };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      throw new CairnGraphqlError(
        [{ message: `The API answered HTTP ${res.status} without GraphQL` }],
        res.status,
      );
    }
    if (body.errors?.length || body.data == null) throw new CairnGraphqlError(body.errors ?? [], res.status);
    return body.data;
  };

  return {
    async request<R, V>(document: TypedDocumentString<R, V>, ...[variables]: VariablesArg<V>): Promise<R> {
      try {
        return await send(document, variables);
      } catch (error) {
        if (
          !(error instanceof CairnGraphqlError) ||
          error.code !== 'UNAUTHENTICATED' ||
          !options.onTokenRejected
        )
          throw error;
        options.onTokenRejected();
        return send(document, variables);
      }
    },

    subscribe<R, V>(
      document: TypedDocumentString<R, V>,
      handlers: SubscriptionHandlers<R>,
      ...[variables]: VariablesArg<V>
    ) {
      return socket().subscribe<R>(
        { query: document.toString(), variables: (variables ?? {}) as Record<string, unknown> },
        {
          next: (result) => {
            if (result.errors?.length)
              handlers.error?.(new CairnGraphqlError(result.errors as CairnErrorEntry[], 200));
            else if (result.data) handlers.next(result.data);
          },
          error: (error) =>
            handlers.error?.(
              Array.isArray(error) ? new CairnGraphqlError(error as CairnErrorEntry[], 200) : error,
            ),
          complete: () => handlers.complete?.(),
        },
      );
    },

    async dispose() {
      await ws?.dispose();
      ws = undefined;
    },
  };
}

/** `http(s)://host/graphql` → `ws(s)://host/graphql`; a path is taken relative to the page's origin. */
function wsUrlOf(url: string): string {
  const base = (globalThis as { location?: { href: string } }).location?.href;
  const absolute = new URL(url, base);
  absolute.protocol = absolute.protocol === 'https:' ? 'wss:' : 'ws:';
  return absolute.toString();
}
