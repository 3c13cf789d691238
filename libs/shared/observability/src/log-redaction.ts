// `<prefix>_<row id>_<secret>` opaque tokens (see #cairn/shared/auth opaque-token.ts), wherever they appear.
const OPAQUE_TOKEN_SECRET =
  /\b([a-z]{2,10}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}_)[A-Za-z0-9_-]+/gi;

/**
 * Removes the secrets of opaque tokens from text before it is logged: calendar feed addresses carry theirs in
 * the path (`/calendar/cal_<id>_<secret>.ics`). The prefix and row id stay, for tracing a request to its feed.
 */
export function redactUrlSecrets(url: string): string {
  return url.replace(OPAQUE_TOKEN_SECRET, '$1[redacted]');
}

/** A redacted copy: the request's own objects (params, query) are never changed, the route still needs them. */
function redactedCopy(value: unknown): unknown {
  if (typeof value === 'string') return redactUrlSecrets(value);
  if (Array.isArray(value)) return value.map(redactedCopy);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, redactedCopy(v)]));
  }
  return value;
}

/** pino-http request serializer: the standard one's output with token secrets taken out of URL, params and query. */
export function redactRequestSecrets<T extends { url?: unknown; params?: unknown; query?: unknown }>(
  req: T,
): T {
  if (typeof req.url === 'string') req.url = redactUrlSecrets(req.url);
  if (req.params !== undefined) req.params = redactedCopy(req.params);
  if (req.query !== undefined) req.query = redactedCopy(req.query);
  return req;
}
