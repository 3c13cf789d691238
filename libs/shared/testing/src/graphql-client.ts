import { randomUUID } from 'node:crypto';

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: string[] }>;
}

export interface Credentials {
  token?: string;
  apiKey?: string;
}

/**
 * What fixtures need of an API: GraphQL over HTTP, in this process (test/support's TestApi) or another
 * (RemoteApi).
 */
export interface GraphqlApi {
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, credentials?: Credentials): Promise<GqlResult<T>>;
  ok<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, credentials?: Credentials): Promise<T>;
}

/** Fails with the server's errors when there are any. */
export async function okOf<T>(result: Promise<GqlResult<T>>): Promise<T> {
  const { errors, data } = await result;
  if (errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(errors)}`);
  return data as T;
}

/** An API running as a process of its own at `baseUrl` (`http://host:port`). */
export class RemoteApi implements GraphqlApi {
  constructor(readonly baseUrl: string) {}

  async gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    credentials: Credentials = {},
  ): Promise<GqlResult<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (credentials.token) headers.authorization = `Bearer ${credentials.token}`;
    if (credentials.apiKey) headers['x-api-key'] = credentials.apiKey;
    const res = await fetch(`${this.baseUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as Pick<GqlResult<T>, 'data' | 'errors'>;
    return { status: res.status, data: body.data, errors: body.errors };
  }

  ok<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, credentials: Credentials = {}): Promise<T> {
    return okOf(this.gql<T>(query, variables, credentials));
  }
}

export const uniqueSlug = (prefix = 'firm') => `${prefix}-${randomUUID().slice(0, 8)}`;

/** First error code, for terse assertions: `expect(errorCode(result)).toBe('FORBIDDEN')`. */
export const errorCode = (result: GqlResult) => result.errors?.[0]?.extensions?.code;

/** The fields a BAD_USER_INPUT error names (`extensions.fields`), in order. */
export const errorFields = (result: GqlResult) =>
  ((result.errors?.[0]?.extensions?.fields as Array<{ field: string }> | undefined) ?? []).map((f) => f.field);
