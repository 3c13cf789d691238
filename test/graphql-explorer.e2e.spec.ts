import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ApiModule } from '#cairn-app/api';
import { EXPLORER_ASSETS_PATH } from '#cairn/shared/graphql';
import { type Notification, NotificationHub, NotificationKind } from '#cairn/notifications';
import { createApiKey, type FirmFixture, signUpFirm, testConfig, waitFor } from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

/** Debian's chromium (CI installs it, see .ci/run), driven through playwright-core. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** What a browser sends when someone types the address in. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

const isExplorerPage = (res: { status: number; headers: Record<string, string>; text: string }) =>
  res.status === 200 && /^text\/html/.test(res.headers['content-type'] ?? '') && res.text.includes('ruru-root');

/** Replaces the whole text of a Monaco editor (GraphiQL names each by its URI), as a paste would. */
async function replaceEditorText(page: Page, editor: 'operation.graphql' | 'request-headers.json', text: string): Promise<void> {
  await page.locator(`.monaco-editor[data-uri$="${editor}"]`).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

async function run(page: Page): Promise<void> {
  await page.locator('.graphiql-execute-button').click();
}

/** Waits until the response pane shows `text`. */
async function responseShows(page: Page, text: string | RegExp): Promise<void> {
  await page.locator('.graphiql-response').getByText(text).first().waitFor({ timeout: 60_000 });
}

describe('GraphQL explorer at GET /graphql', () => {
  let api: TestApi;
  let firm: FirmFixture;

  beforeAll(async () => {
    api = await TestApi.start(ApiModule.forRoot(testConfig()));
    firm = await signUpFirm(api);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('serves the IDE to a browser, with a Content-Security-Policy that allows its own origin only', async () => {
    const res = await api.http.get('/graphql').set('accept', BROWSER_ACCEPT);
    expect(isExplorerPage(res)).toBe(true);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    // No origin but its own, no wildcard, no scheme-wide source, no eval, no inline script but the hashed ones.
    expect(csp).not.toMatch(/https?:|wss?:|\*|'unsafe-eval'/);
    expect(/script-src ([^;]*)/.exec(csp)?.[1]).not.toContain("'unsafe-inline'");
    expect(res.headers['cache-control']).toBe('no-store');

    // Every asset the page names is Cairn's own, and Cairn serves it.
    const assets = [...res.text.matchAll(/(?:src|href)="([^"]+)"|from "([^"]+)"/g)].map((m) => m[1] ?? m[2]);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset.startsWith(EXPLORER_ASSETS_PATH)).toBe(true);
      const file = await api.http.get(asset);
      expect({ asset, status: file.status }).toEqual({ asset, status: 200 });
    }
  });

  it('leaves GraphQL over HTTP as it was: POST, GET with a query, and a GET that prefers JSON', async () => {
    const post = await api.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('accept', BROWSER_ACCEPT)
      .send({ query: '{ __typename }' });
    expect(post.body).toEqual({ data: { __typename: 'Query' } });

    // A GET with a query is GraphQL even from a browser's Accept header.
    const get = await api.http
      .get('/graphql')
      .query({ query: '{ __typename }' })
      .set('accept', BROWSER_ACCEPT)
      .set('apollo-require-preflight', 'true');
    expect(get.body).toEqual({ data: { __typename: 'Query' } });

    for (const accept of ['application/json', '*/*', 'application/graphql-response+json']) {
      const res = await api.http.get('/graphql').set('accept', accept);
      expect({ accept, explorer: isExplorerPage(res), status: res.status }).toEqual({
        accept,
        explorer: false,
        status: 400,
      });
    }
  });

  it('sends a browser opening the API root to the explorer; a JSON client still gets a 404 there', async () => {
    const root = await api.http.get('/').set('accept', BROWSER_ACCEPT).redirects(0);
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/graphql');
    expect((await api.http.get('/').set('accept', 'application/json')).status).toBe(404);
  });

  it('serves no source maps and nothing outside its assets', async () => {
    const js = await api.http.get(`${EXPLORER_ASSETS_PATH}ruru.js`);
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    for (const path of [`${EXPLORER_ASSETS_PATH}ruru.js.map`, `${EXPLORER_ASSETS_PATH}../package.json`, `${EXPLORER_ASSETS_PATH}nope.js`]) {
      const res = await api.http.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
  });

  describe('in headless Chromium', () => {
    let browser: Browser;
    let page: Page;
    let origin: string;
    /** Every URL the page requested, WebSockets included. */
    const requested: string[] = [];
    const cspViolations: string[] = [];

    beforeAll(async () => {
      await api.app.listen(0, '127.0.0.1');
      origin = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      page = await browser.newPage();
      page.on('request', (r) => requested.push(r.url()));
      page.on('websocket', (ws) => requested.push(ws.url()));
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      });
      await page.goto(`${origin}/graphql`, { waitUntil: 'load' });
      // Loaded: Monaco has mounted the query editor and the introspected schema fills the docs.
      await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor({ timeout: 60_000 });
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('runs { me { email } } with the bearer token pasted in Headers, and shows the result', async () => {
      await replaceEditorText(page, 'operation.graphql', '{ me { email } }');
      // Without a credential the API refuses: what authenticates below is the pasted header.
      await run(page);
      await responseShows(page, 'UNAUTHENTICATED');

      await page.getByRole('button', { name: 'Headers' }).click();
      await replaceEditorText(page, 'request-headers.json', JSON.stringify({ Authorization: `Bearer ${firm.admin.accessToken}` }));
      await run(page);
      await responseShows(page, firm.admin.user.email);
    });

    it('sends a pasted API key as x-api-key', async () => {
      const key = await createApiKey(api, firm, ['USERS_READ']);
      await replaceEditorText(page, 'request-headers.json', JSON.stringify({ 'x-api-key': key.secret }));
      await replaceEditorText(page, 'operation.graphql', '{ users(first: 10) { edges { node { role } } } }');
      await run(page);
      // Case-sensitive: the earlier answer showed admin@… only.
      await responseShows(page, /"ADMIN"/);
    });

    it('receives a notificationAdded subscription over graphql-ws with the pasted bearer token', async () => {
      const hub = api.app.get(NotificationHub);
      await replaceEditorText(page, 'request-headers.json', JSON.stringify({ Authorization: `Bearer ${firm.admin.accessToken}` }));
      await replaceEditorText(page, 'operation.graphql', 'subscription LiveFeed { notificationAdded { title } }');
      // GraphiQL sends an operation over graphql-ws once it has parsed it as a subscription; the tab takes the
      // operation's name at that moment.
      await page.locator('.graphiql-tab-active').getByText('LiveFeed').waitFor({ timeout: 60_000 });
      await run(page);
      await waitFor('the explorer to subscribe', () => hub.hasSubscribers(firm.tenantId, firm.admin.user.id));
      const title = `Hello from the explorer test ${Date.now()}`;
      const notification = {
        id: '00000000-0000-4000-8000-000000000001',
        tenantId: firm.tenantId,
        recipientUserId: firm.admin.user.id,
        kind: NotificationKind.CHECKIN_DUE,
        title,
        body: null,
        clientId: null,
        checkInId: null,
        readAt: null,
        createdAt: new Date(),
      } as unknown as Notification;
      expect(hub.publish(notification)).toBe(1);
      await responseShows(page, title);
      expect(requested.some((url) => url === `${origin.replace(/^http/, 'ws')}/graphql`)).toBe(true);
    });

    it('made no request outside the API origin and broke no CSP rule', () => {
      const wsOrigin = origin.replace(/^http/, 'ws');
      expect(requested.length).toBeGreaterThan(0);
      expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith(`${wsOrigin}/`))).toEqual([]);
      expect(cspViolations).toEqual([]);
    });
  });
});

describe('GRAPHQL_EXPLORER', () => {
  const apis: TestApi[] = [];
  const boot = async (env: Record<string, string>) => {
    const api = await TestApi.start(ApiModule.forRoot(testConfig(env)));
    apis.push(api);
    return api;
  };

  afterAll(async () => {
    for (const api of apis) await api.close();
  });

  it('is off in production by default: a browser gets no IDE and no assets', async () => {
    const api = await boot({ NODE_ENV: 'production' });
    const page = await api.http.get('/graphql').set('accept', BROWSER_ACCEPT);
    expect(isExplorerPage(page)).toBe(false);
    expect(page.headers['content-security-policy']).toBeUndefined();
    expect((await api.http.get(`${EXPLORER_ASSETS_PATH}ruru.js`)).status).toBe(404);
    expect((await api.http.get('/').set('accept', BROWSER_ACCEPT).redirects(0)).status).toBe(404);
  });

  it('is on in production when set, and off elsewhere when unset', async () => {
    const on = await boot({ NODE_ENV: 'production', GRAPHQL_EXPLORER: 'true' });
    expect(isExplorerPage(await on.http.get('/graphql').set('accept', BROWSER_ACCEPT))).toBe(true);
    expect((await on.http.get(`${EXPLORER_ASSETS_PATH}ruru.js`)).status).toBe(200);

    const off = await boot({ GRAPHQL_EXPLORER: 'false' });
    expect(isExplorerPage(await off.http.get('/graphql').set('accept', BROWSER_ACCEPT))).toBe(false);
    expect((await off.http.get(`${EXPLORER_ASSETS_PATH}ruru.js`)).status).toBe(404);
  });
});
