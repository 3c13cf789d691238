import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { freePort } from './processes.js';

/** What the test identity provider says about an account: its email and whether it verified it. */
export interface TestOidcAccount {
  email: string;
  emailVerified: boolean;
}

export interface TestOidcProvider {
  issuer: string;
  /** Accounts by id (the ID token's `sub`); change them between sign-ins to play an identity provider's changes. */
  accounts: Map<string, TestOidcAccount>;
  /** How many times its discovery document was fetched: to show that a refused issuer was never called. */
  readonly discoveryRequests: number;
  /** Drives a browser through the provider from `authorizationUrl` (signing in as `accountId`) to the URL it redirects to at `redirectPrefix`. */
  signIn(authorizationUrl: string, accountId: string, redirectPrefix: string): Promise<URL>;
  stop(): Promise<void>;
}

/**
 * A real OpenID Connect provider (oidc-provider) on a free loopback port, with confidential clients `clients`
 * (id → secret) allowed to redirect to `redirectUri`. Sign-in goes through its development login page, driven
 * over HTTP with a cookie jar (no browser); consent is granted on the same page.
 */
export async function startOidcProvider(
  clients: Record<string, string>,
  redirectUri: string,
): Promise<TestOidcProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const accounts = new Map<string, TestOidcAccount>();
  const provider = new Provider(issuer, {
    clients: Object.entries(clients).map(([client_id, client_secret]) => ({
      client_id,
      client_secret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })),
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    cookies: { keys: ['test-oidc-provider-cookie-key'] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, email: account.email, email_verified: account.emailVerified }),
      };
    },
  });
  let discoveryRequests = 0;
  provider.use(async (ctx, next) => {
    if (ctx.path === '/.well-known/openid-configuration') discoveryRequests++;
    await next();
  });
  const server: Server = provider.listen(port);
  await new Promise<void>((resolve) => server.once('listening', resolve));

  async function signIn(authorizationUrl: string, accountId: string, redirectPrefix: string): Promise<URL> {
    const jar = new Map<string, string>();
    const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const remember = (res: Response) => {
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair.indexOf('=');
        jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
      }
    };
    let url = new URL(authorizationUrl);
    let body: URLSearchParams | undefined;
    for (let step = 0; step < 12; step++) {
      const res = await fetch(url, {
        method: body ? 'POST' : 'GET',
        redirect: 'manual',
        headers: { cookie: cookieHeader(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body,
      });
      remember(res);
      body = undefined;
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        url = new URL(location, url);
        if (url.href.startsWith(redirectPrefix)) return url;
        continue;
      }
      const html = await res.text();
      if (res.status !== 200 || !url.pathname.startsWith('/interaction/'))
        throw new Error(`The provider answered ${res.status} at ${url.pathname}: ${html.slice(0, 300)}`);
      // The development pages: a login form, then a consent form, each posted back to the same address.
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1] ?? (html.includes('name="login"') ? 'login' : 'consent');
      body = new URLSearchParams(prompt === 'login' ? { prompt, login: accountId, password: 'any' } : { prompt });
    }
    throw new Error('The provider did not redirect back');
  }

  return {
    issuer,
    accounts,
    get discoveryRequests() {
      return discoveryRequests;
    },
    signIn,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // fetch's keep-alive sockets would hold the close open
      }),
  };
}
