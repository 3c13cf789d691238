/**
 * Redis pub/sub channel of "a notification was committed". Pub/sub ignores the logical database index, so
 * every process on this Redis hears every message: receivers look the id up in their own database and
 * ignore what they do not find.
 */
export const NOTIFICATIONS_CHANNEL = 'cairn:notifications';

/** Ids only: the row is the durable copy, and receivers load it under the tenant's row-level security. */
export interface NotificationAddedMessage {
  tenantId: string;
  notificationId: string;
  recipientUserId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The message, or undefined for anything that is not one (we never trust what arrives on a shared channel). */
export function parseNotificationAdded(raw: string): NotificationAddedMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const { tenantId, notificationId, recipientUserId } = (value ?? {}) as Record<string, unknown>;
  const ids = [tenantId, notificationId, recipientUserId];
  if (!ids.every((id): id is string => typeof id === 'string' && UUID.test(id))) return undefined;
  return {
    tenantId: (tenantId as string).toLowerCase(),
    notificationId: (notificationId as string).toLowerCase(),
    recipientUserId: (recipientUserId as string).toLowerCase(),
  };
}
