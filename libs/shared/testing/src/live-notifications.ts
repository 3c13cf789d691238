import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface LiveNotification {
  id: string;
  kind: string;
  checkInId: string | null;
}

export interface LiveFeed {
  /** Every `notificationAdded` event, in arrival order. */
  received: LiveNotification[];
  errors: unknown[];
  close(): Promise<void>;
}

/** A graphql-ws `notificationAdded` subscription at `wsUrl` (`ws://host:port/graphql`) with a bearer token. */
export function subscribeToNotifications(wsUrl: string, accessToken: string): LiveFeed {
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${accessToken}` },
    retryAttempts: 0,
  });
  const feed: LiveFeed = { received: [], errors: [], close: async () => void (await client.dispose()) };
  client.subscribe(
    { query: `subscription { notificationAdded { id kind checkInId } }` },
    {
      next: (result) => {
        if (result.errors) feed.errors.push(...result.errors);
        else feed.received.push((result.data as { notificationAdded: LiveNotification }).notificationAdded);
      },
      error: (error) => feed.errors.push(error),
      complete: () => undefined,
    },
  );
  return feed;
}
