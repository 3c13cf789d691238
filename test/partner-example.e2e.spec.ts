import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import WebSocket from 'ws';
import { ApiModule } from '#cairn-app/api';
import { type PartnerExample, startPartnerExample } from '#cairn-app/partner-example';
import { NotificationHub, NotificationListener } from '#cairn/notifications';
import { CairnGraphqlError, CheckInDocument, createCairnClient, OpenCheckInsDocument } from '#cairn/sdk';
import {
  addUser,
  assignOpenCheckIn,
  coachingFirm,
  createApiKey,
  engage,
  type FirmFixture,
  type Session,
  testConfig,
  waitFor,
} from '#cairn/shared/testing';
import { buildPartnerExamplePage, TestApi } from './support/index.js';

/** Debian's chromium (CI installs it, see .ci/run), driven through playwright-core. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SAM = { username: 'sam', password: 'sam-partner-password' };
const OLLY = { username: 'olly', password: 'olly-partner-password' };

/** Every prompt type, as a partner page must render them. */
const PROMPTS = [
  {
    key: 'energy',
    label: 'How energised were you today?',
    type: 'SCALE',
    minLabel: 'Drained',
    maxLabel: 'On fire',
  },
  { key: 'report_started', label: 'Did you start the report early?', type: 'YES_NO' },
  { key: 'calls', label: 'Sales calls made', type: 'NUMBER', numberMin: 0, numberMax: 200, unit: 'calls' },
  {
    key: 'focus',
    label: 'What did you focus on?',
    type: 'CHOICE',
    options: ['Prospecting', 'Reports', 'Coaching'],
    allowMultiple: true,
  },
  { key: 'mood', label: 'Overall mood', type: 'CHOICE', options: ['Good', 'Okay', 'Poor'] },
  {
    key: 'win',
    label: 'Your win of the day',
    type: 'TEXT',
    maxLength: 500,
    help: 'One sentence is enough.',
    required: false,
  },
];

const CHECK_IN = `query ($id: ID!) { checkIn(id: $id) { status submissions { amendReason answers { key scale yesNo number choices text } } } }`;

/** A daily check-in with every prompt type, open all of today, for `clientId`; returns today's check-in id. */
async function openCheckInWithEveryPrompt(api: TestApi, coach: Session, clientId: string): Promise<string> {
  await assignOpenCheckIn(api, coach, clientId, 'Europe/London', PROMPTS);
  const open = await api.ok<{ checkIns: { edges: { node: { id: string } }[] } }>(
    `query ($clientId: ID!) { checkIns(clientId: $clientId, openNow: true) { edges { node { id } } } }`,
    { clientId },
    { token: coach.accessToken },
  );
  expect(open.checkIns.edges).toHaveLength(1);
  return open.checkIns.edges[0].node.id;
}

/** A goal of `clientId` at 40% (a 0→100 percentage measure). */
async function goalAtForty(api: TestApi, coach: Session, clientId: string): Promise<void> {
  const goal = await api.ok<{ createGoal: { id: string; version: number } }>(
    `mutation ($input: CreateGoalInput!) { createGoal(input: $input) { id version } }`,
    { input: { clientId, horizon: 'IMMEDIATE', category: 'SKILL', title: 'Run a client survey' } },
    { token: coach.accessToken },
  );
  const measured = await api.ok<{ addGoalMeasure: { goal: { version: number }; measure: { id: string } } }>(
    `mutation ($input: AddGoalMeasureInput!) { addGoalMeasure(input: $input) { goal { version } measure { id } } }`,
    {
      input: {
        goalId: goal.createGoal.id,
        expectedVersion: goal.createGoal.version,
        kind: 'PERCENTAGE',
        title: 'Clients surveyed',
        baseline: 0,
        target: 100,
      },
    },
    { token: coach.accessToken },
  );
  await api.ok(
    `mutation ($input: RecordProgressInput!) { recordProgress(input: $input) { progressUpdate { id } } }`,
    { input: { measureId: measured.addGoalMeasure.measure.id, value: 40 } },
    { token: coach.accessToken },
  );
}

describe('partner example (apps/partner-example) against a real API', () => {
  let api: TestApi;
  let apiOrigin: string;
  let firm: FirmFixture;
  let coach: Session;
  let sam: Session;
  let olly: Session;
  let samCheckInId: string;
  let ollyCheckInId: string;
  let apiKey: string;
  let partner: PartnerExample;

  /** Signs in to the partner backend; returns its session cookie. */
  async function partnerLogin(user: { username: string; password: string }): Promise<string> {
    const res = await fetch(`${partner.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(user),
    });
    expect(res.status).toBe(200);
    return (res.headers.get('set-cookie') ?? '').split(';')[0];
  }

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${partner.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    buildPartnerExamplePage();
    api = await TestApi.start(ApiModule.forRoot(testConfig()));
    await api.app.listen(0, '127.0.0.1');
    apiOrigin = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
    ({ firm, coach, client: sam } = await coachingFirm(api));
    olly = await addUser(api, firm, 'CLIENT');
    await engage(api, firm, olly.user.id, coach.user.id);
    samCheckInId = await openCheckInWithEveryPrompt(api, coach, sam.user.id);
    ollyCheckInId = await openCheckInWithEveryPrompt(api, coach, olly.user.id);
    await goalAtForty(api, coach, sam.user.id);
    apiKey = (await createApiKey(api, firm, ['CLIENTS_ACT', 'CHECKINS_READ', 'CHECKINS_WRITE', 'GOALS_READ']))
      .secret;
    partner = await startPartnerExample({
      apiUrl: apiOrigin,
      apiKey,
      port: 0,
      users: [
        { ...SAM, displayName: 'Sam Rivera', clientId: sam.user.id },
        { ...OLLY, displayName: 'Olly Okafor', clientId: olly.user.id },
      ],
    });
    await waitFor(
      'the API to listen for live notifications',
      () => api.app.get(NotificationListener).listening,
    );
  });

  afterAll(async () => {
    await partner?.close();
    await api?.close();
  });

  describe('in headless Chromium', () => {
    let browser: Browser;
    let page: Page;
    /** Every URL the page requested (WebSockets included) and every body it was sent back. */
    const requested: string[] = [];
    const bodies: Promise<string>[] = [];
    const cspViolations: string[] = [];

    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      page.on('request', (r) => requested.push(r.url()));
      page.on('websocket', (ws) => {
        requested.push(ws.url());
        ws.on('framereceived', (frame) => bodies.push(Promise.resolve(String(frame.payload))));
      });
      // Read once the request has finished (a response's body read earlier may never settle).
      page.on('requestfinished', (r) =>
        bodies.push(r.response().then(async (res) => (await res?.text()) ?? '')),
      );
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      });
      await page.goto(partner.url, { waitUntil: 'load' });
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('refuses an unknown partner user on the page', async () => {
      await page.getByLabel('Username').fill('mallory');
      await page.getByLabel('Password').fill('guess');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('Unknown username or password.').waitFor();
      expect(await page.locator('#app-view').isHidden()).toBe(true);
    });

    it('signs the client in and shows their open check-in with every prompt type, and their goal’s progress', async () => {
      await page.getByLabel('Username').fill(SAM.username);
      await page.getByLabel('Password').fill(SAM.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const form = page.locator(`form[data-check-in="${samCheckInId}"]`);
      await form.waitFor();
      expect(await page.locator('form[data-check-in]').count()).toBe(1); // Sam's only, not Olly's

      const scale = form.getByRole('group', { name: 'How energised were you today? *' });
      expect(await scale.getByRole('radio').count()).toBe(10);
      await scale.getByText('1 (Drained)').waitFor();
      await scale.getByText('10 (On fire)').waitFor();
      expect(
        await form
          .getByRole('group', { name: 'Did you start the report early? *' })
          .getByRole('radio')
          .count(),
      ).toBe(2);
      expect(
        await form.getByRole('group', { name: 'What did you focus on? *' }).getByRole('checkbox').count(),
      ).toBe(3);
      expect(await form.getByRole('group', { name: 'Overall mood *' }).getByRole('radio').count()).toBe(3);
      expect(await form.getByLabel('Sales calls made * (calls)').getAttribute('max')).toBe('200');
      expect(await form.getByLabel('Your win of the day', { exact: true }).getAttribute('maxlength')).toBe(
        '500',
      );
      await form.getByText('One sentence is enough.').waitFor();

      const goal = page.getByRole('listitem', { name: 'Run a client survey' });
      await goal.getByText('40%').first().waitFor();
      expect(await goal.getByRole('progressbar').getAttribute('value')).toBe('40');
    });

    it('answers every prompt, once though the first response is lost; the coach sees it SUBMITTED with those answers', async () => {
      const form = page.locator(`form[data-check-in="${samCheckInId}"]`);
      await form
        .getByRole('group', { name: 'How energised were you today? *' })
        .getByRole('radio', { name: '8', exact: true })
        .check();
      await form
        .getByRole('group', { name: 'Did you start the report early? *' })
        .getByRole('radio', { name: 'Yes' })
        .check();
      await form.getByLabel('Sales calls made * (calls)').fill('12');
      const focus = form.getByRole('group', { name: 'What did you focus on? *' });
      await focus.getByRole('checkbox', { name: 'Prospecting' }).check();
      await focus.getByRole('checkbox', { name: 'Coaching' }).check();
      await form.getByRole('group', { name: 'Overall mood *' }).getByRole('radio', { name: 'Good' }).check();
      await form.getByLabel('Your win of the day', { exact: true }).fill('Booked two demos');
      // The first answer reaches Cairn but its response is lost on the way back: the page says so, and sending
      // again (same idempotency key) gets the first submission back instead of a CONFLICT or a second one.
      let lost = 0;
      await page.route('**/graphql', async (route) => {
        if (!route.request().postData()?.includes('SubmitCheckIn')) return route.continue();
        await route.fetch();
        lost++;
        await route.abort('connectionreset');
      });
      await form.getByRole('button', { name: 'Submit answers' }).click();
      await page.locator('#flash.error').waitFor();
      await page.unroute('**/graphql');
      expect(lost).toBe(1);
      await form.getByRole('button', { name: 'Submit answers' }).click();
      await page.getByText('Submitted — thank you!').waitFor();
      await page.locator(`article[data-check-in="${samCheckInId}"]`).waitFor();

      const seen = await api.ok<{ checkIn: { status: string; submissions: { answers: unknown[] }[] } }>(
        CHECK_IN,
        { id: samCheckInId },
        { token: coach.accessToken },
      );
      expect(seen.checkIn.status).toBe('SUBMITTED');
      expect(seen.checkIn.submissions).toHaveLength(1);
      expect(seen.checkIn.submissions[0].answers).toEqual([
        { key: 'energy', scale: 8, yesNo: null, number: null, choices: null, text: null },
        { key: 'report_started', scale: null, yesNo: true, number: null, choices: null, text: null },
        { key: 'calls', scale: null, yesNo: null, number: 12, choices: null, text: null },
        {
          key: 'focus',
          scale: null,
          yesNo: null,
          number: null,
          choices: ['Prospecting', 'Coaching'],
          text: null,
        },
        { key: 'mood', scale: null, yesNo: null, number: null, choices: ['Good'], text: null },
        { key: 'win', scale: null, yesNo: null, number: null, choices: null, text: 'Booked two demos' },
      ]);
    });

    it('amends the answers from the answered check-in; the coach sees the amendment after the original', async () => {
      const card = page.locator(`article[data-check-in="${samCheckInId}"]`);
      await card.getByRole('button', { name: 'Amend' }).click();
      const amend = card.getByRole('form', { name: /^Amend check-in/ });
      // Pre-filled with the answers sent; only the number changes.
      expect(await amend.getByRole('radio', { name: '8', exact: true }).isChecked()).toBe(true);
      await amend.getByLabel('Sales calls made * (calls)').fill('14');
      await amend.getByLabel('Why the change?').fill('Miscounted');
      await amend.getByRole('button', { name: 'Save amendment' }).click();
      await page.getByText('Amendment saved').waitFor();
      await card.getByText('Amended 1×').waitFor();

      const seen = await api.ok<{
        checkIn: {
          submissions: { amendReason: string | null; answers: { key: string; number: number | null }[] }[];
        };
      }>(CHECK_IN, { id: samCheckInId }, { token: coach.accessToken });
      expect(seen.checkIn.submissions.map((s) => s.amendReason)).toEqual([null, 'Miscounted']);
      expect(seen.checkIn.submissions[1].answers.find((a) => a.key === 'calls')?.number).toBe(14);
      expect(seen.checkIn.submissions[1].answers).toHaveLength(PROMPTS.length);
    });

    it('shows the coach’s feedback live, without a reload, with its notification', async () => {
      const hub = api.app.get(NotificationHub);
      await waitFor('the page to subscribe to notifications', () =>
        hub.hasSubscribers(firm.tenantId, sam.user.id),
      );
      await page.getByText('Live updates on').waitFor();
      await page.evaluate('window.notReloaded = true');

      const body = `Great call count, Sam — keep the Monday prospecting block. (${Date.now()})`;
      await api.ok(
        `mutation ($input: AddCheckInFeedbackInput!) { addCheckInFeedback(input: $input) { id } }`,
        { input: { checkInId: samCheckInId, body } },
        { token: coach.accessToken },
      );
      await page
        .locator(`article[data-check-in="${samCheckInId}"]`)
        .getByRole('list', { name: 'Feedback from your coach' })
        .getByText(body)
        .waitFor();
      await page.locator('#notifications li[data-kind="CHECKIN_FEEDBACK_ADDED"]').first().waitFor();
      expect(await page.evaluate('window.notReloaded')).toBe(true);

      await mkdir('artifacts', { recursive: true });
      await page.screenshot({ path: 'artifacts/partner-example.png', fullPage: true });
    });

    it('never sent the API key to the page, and loaded nothing from outside the partner’s origin', async () => {
      const wsOrigin = partner.url.replace(/^http/, 'ws');
      expect(requested.length).toBeGreaterThan(0);
      expect(
        requested.filter((url) => !url.startsWith(`${partner.url}/`) && !url.startsWith(`${wsOrigin}/`)),
      ).toEqual([]);
      const seen = await Promise.all(bodies);
      expect(seen.length).toBeGreaterThan(5);
      expect(seen.filter((text) => text.includes(apiKey))).toEqual([]);
      const storage = await page.evaluate<string>(
        'document.documentElement.outerHTML + document.cookie + JSON.stringify(localStorage) + JSON.stringify(sessionStorage)',
      );
      expect(storage).not.toContain(apiKey);
      expect(cspViolations).toEqual([]);
    });
  });

  describe('the backend', () => {
    it('refuses an unknown user and a wrong password, and sets no session', async () => {
      for (const attempt of [
        { username: 'mallory', password: SAM.password },
        { username: SAM.username, password: 'wrong' },
        {},
      ]) {
        const res = await post('/api/login', attempt);
        expect({ attempt, status: res.status, cookie: res.headers.get('set-cookie') }).toEqual({
          attempt,
          status: 401,
          cookie: null,
        });
      }
    });

    it('mints a token, proxies GraphQL and opens graphql-ws for a signed-in user only', async () => {
      for (const cookie of [undefined, 'partner_session=forged']) {
        const headers: Record<string, string> = cookie ? { cookie } : {};
        expect((await post('/api/cairn-token', {}, headers)).status).toBe(401);
        expect((await post('/graphql', { query: '{ __typename }' }, headers)).status).toBe(401);
        const status = await new Promise<number>((resolve) => {
          const ws = new WebSocket(`${partner.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', {
            headers,
          });
          ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          ws.on('open', () => {
            ws.close();
            resolve(101);
          });
        });
        expect(status).toBe(401);
      }
      const cookie = await partnerLogin(SAM);
      expect((await post('/api/cairn-token', {}, { cookie })).status).toBe(200);
    });

    it('passes on the page’s bearer token only: an API key sent through the proxy authenticates nothing', async () => {
      const cookie = await partnerLogin(SAM);
      const res = await post(
        '/graphql',
        { query: '{ checkIns(first: 5) { edges { node { id } } } }' },
        { cookie, 'x-api-key': apiKey },
      );
      const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      // The same key straight to the API reads the firm's check-ins: the proxy dropped it.
      const direct = await api.ok<{ checkIns: { edges: unknown[] } }>(
        '{ checkIns(first: 5) { edges { node { id } } } }',
        {},
        { apiKey },
      );
      expect(direct.checkIns.edges.length).toBeGreaterThan(0);
    });

    it('mints for the signed-in user’s client only; that token cannot read another client’s check-in', async () => {
      const cookie = await partnerLogin(SAM);
      // Asking for Olly in the body changes nothing: the client id comes from the partner's user table.
      const minted = await post('/api/cairn-token', { clientId: olly.user.id }, { cookie });
      const { accessToken } = (await minted.json()) as { accessToken: string };
      const asSam = createCairnClient({
        url: `${apiOrigin}/graphql`,
        credential: () => ({ token: accessToken }),
      });

      const open = await asSam.request(OpenCheckInsDocument);
      expect(open.checkIns.edges.map((e) => e.node.id)).not.toContain(ollyCheckInId);
      const own = await asSam.request(CheckInDocument, { id: samCheckInId });
      expect(own.checkIn.id).toBe(samCheckInId);
      const other = await asSam
        .request(CheckInDocument, { id: ollyCheckInId })
        .catch((error: unknown) => error);
      expect(other).toBeInstanceOf(CairnGraphqlError);
      expect((other as CairnGraphqlError).code).toBe('NOT_FOUND');

      // Olly, signed in, gets a token that reads his own check-in.
      const ollyCookie = await partnerLogin(OLLY);
      const ollyToken = (
        (await (await post('/api/cairn-token', {}, { cookie: ollyCookie })).json()) as { accessToken: string }
      ).accessToken;
      const asOlly = createCairnClient({
        url: `${apiOrigin}/graphql`,
        credential: () => ({ token: ollyToken }),
      });
      expect((await asOlly.request(CheckInDocument, { id: ollyCheckInId })).checkIn.id).toBe(ollyCheckInId);
    });

    it('serves the page’s scripts and nothing outside them', async () => {
      expect((await fetch(`${partner.url}/app/libs/sdk/src/index.js`)).status).toBe(200);
      for (const path of [
        '/app/../../package.json',
        '/app/%2e%2e/%2e%2e/package.json',
        '/vendor/graphql-ws/../package.json',
        '/app/libs/sdk/src/index.ts',
      ]) {
        const res = await fetch(`${partner.url}${path}`);
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
      }
    });
  });
});
