import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type RuruClientConfig, ruruHTML } from 'ruru/server';
import { getStaticFile } from 'ruru/static';
import { GRAPHQL_PATH } from './graphql-http-guard.js';

/** Where the explorer's scripts, styles and editor workers are served from: by Cairn itself, never a CDN. */
export const EXPLORER_ASSETS_PATH = '/graphql-explorer/';

const DEFAULT_QUERY = `# Cairn GraphQL explorer. Paste your credential in Headers (below), as JSON:
#   {"Authorization": "Bearer <accessToken from signUpFirm or login>"}
# or, for a partner backend, {"x-api-key": "<secret>"}. Subscriptions run over graphql-ws with the same headers.
{
  me {
    email
  }
}
`;

/**
 * The explorer page: Ruru (a GraphiQL distribution with its React, Monaco and graphql-ws client prebuilt into
 * the npm package) pointed at /graphql, its assets at EXPLORER_ASSETS_PATH. Subscriptions go to ws(s)://<this
 * host>/graphql, with the Headers editor's JSON as graphql-ws connectionParams (which Cairn reads the credential
 * from). Grafast's explain/plan tools are off: Cairn does not run on Grafast.
 */
export function explorerHtml(): string {
  return ruruHTML({
    staticPath: EXPLORER_ASSETS_PATH,
    endpoint: GRAPHQL_PATH,
    // RuruClientConfig picks from GraphiQL's React props, which type as `any` here (no React types installed),
    // making every pick look required: all are optional.
    clientConfig: { debugTools: [], defaultQuery: DEFAULT_QUERY, isHeadersEditorEnabled: true } as Partial<RuruClientConfig> as RuruClientConfig,
    htmlParts: { titleTag: '<title>Cairn GraphQL explorer</title>' },
  });
}

/**
 * A Content-Security-Policy that lets the page load and connect to its own origin only (`'self'` covers the
 * same host's ws:// and wss:// for subscriptions). Its inline scripts are allowed by their hashes, not by
 * 'unsafe-inline'; styles need 'unsafe-inline' because the editor (Monaco) injects <style> elements at run time.
 */
export function explorerContentSecurityPolicy(html: string): string {
  const hashes = [...html.matchAll(/<script(?:\s+type="module")?>([\s\S]*?)<\/script>/g)].map(
    ([, body]) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`,
  );
  return [
    "default-src 'self'",
    `script-src 'self' ${hashes.join(' ')}`,
    "worker-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * A browser opening /graphql: a GET without a `query`, preferring HTML to JSON (curl's and fetch's `*\/*`
 * prefer JSON). Anything else stays GraphQL over HTTP, as before the explorer.
 */
function wantsExplorer(req: Request): boolean {
  return (
    req.method === 'GET' &&
    req.path === GRAPHQL_PATH &&
    req.query.query === undefined &&
    req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) === 'text/html'
  );
}

/**
 * Serves the explorer page at GET /graphql (for browsers) and its assets under EXPLORER_ASSETS_PATH. Mount it
 * only when the explorer is enabled (AppConfig.graphqlExplorerEnabled); otherwise those requests are answered
 * as if it did not exist. Source maps are not served: they would load another ~10 MB into memory.
 */
export function graphqlExplorer(): RequestHandler {
  const html = explorerHtml();
  const csp = explorerContentSecurityPolicy(html);
  const secure = (res: Response) =>
    res
      .setHeader('Content-Security-Policy', csp)
      .setHeader('X-Content-Type-Options', 'nosniff')
      .setHeader('Referrer-Policy', 'no-referrer');
  return (req: Request, res: Response, next: NextFunction): void => {
    // A browser opening the API's root lands on the explorer instead of a 404.
    if (req.method === 'GET' && req.path === '/' && req.accepts(['application/json', 'text/html']) === 'text/html') {
      res.redirect(302, GRAPHQL_PATH);
      return;
    }
    if (wantsExplorer(req)) {
      // The page holds no credential, but a shared cache must not serve it in place of a JSON answer.
      secure(res).setHeader('Cache-Control', 'no-store').setHeader('Vary', 'Accept').type('html').send(html);
      return;
    }
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.path.startsWith(EXPLORER_ASSETS_PATH)) return next();
    Promise.resolve(
      getStaticFile({
        staticPath: EXPLORER_ASSETS_PATH,
        urlPath: req.path,
        acceptEncoding: req.headers['accept-encoding'],
        disallowDevAssets: true,
      }),
    )
      .then((file) => {
        if (!file) return next();
        const etag = file.headers.etag;
        secure(res).setHeader('Cache-Control', 'no-cache').setHeader('Vary', 'Accept-Encoding');
        if (etag !== undefined && req.headers['if-none-match'] === etag) {
          res.status(304).setHeader('ETag', etag).end();
          return;
        }
        res.status(200).set(file.headers);
        if (req.method === 'HEAD') res.end();
        else res.end(file.content);
      })
      .catch(next);
  };
}
