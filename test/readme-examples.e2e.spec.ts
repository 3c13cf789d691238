import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ApiModule } from '#cairn-app/api';
import { type Credentials, testConfig, uniqueSlug } from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

/*
 * Runs README.md's ```graphql examples, in order, against a booted API, by the convention stated at the top of
 * README → "A first GraphQL session": `<!-- as: … -->` (or a `# as: …` line) names the caller,
 * `<!-- expect: CODE -->` an error the block shows, `"…"` an id the examples before created, `"inv_…"` (any
 * prefix) the latest such token, and dates move by whole weeks from README_TODAY.
 */

interface Block {
  section: string;
  line: number;
  text: string;
  as?: string;
  expect?: string;
}

/** Operations of covered sections the runner leaves out, each with why. */
const NOT_RUN: Record<string, string> = {
  notificationAdded:
    'a subscription goes over graphql-ws, not POST; test/notifications.e2e.spec.ts runs it live',
  runNudgesNow:
    'queues a job in the shared test Redis that no worker here drains; test/run-now.e2e.spec.ts runs it',
  runCoachReportNow: 'as runNudgesNow',
  resendWebhookDelivery:
    'needs a failed delivery (the worker and a receiver); test/webhooks.e2e.spec.ts resends one',
  confirmMfaEnrolment:
    'needs the code an authenticator app computes from the secret beginMfaEnrolment answered; test/mfa.e2e.spec.ts computes them',
  completeMfaLogin: 'as confirmMfaEnrolment (and a challenge, which login gives only once MFA is on)',
};

/** Sections not run yet, each with why; every section with a graphql block is here or in COVERED. */
const NOT_COVERED: Record<string, string> = {
  "Exporting a client's data":
    'queues a job in the shared test Redis that no worker here drains; test/privacy-export.e2e.spec.ts runs it with a worker',
  'Erasing a client':
    'as the export, and it would erase the client later sections use; test/privacy-erasure.e2e.spec.ts runs it',
  'Demo data':
    'signs in to the seeded demo firm (npm run seed against a running API); test/seed.e2e.spec.ts checks its content',
  'SDK and partner example':
    'sets up the example against the seeded demo firm; test/partner-example.e2e.spec.ts runs the example against a fresh firm',
  'Single sign-on':
    'needs a live identity provider and a browser round trip; test/single-sign-on.e2e.spec.ts starts oidc-provider and runs it',
};
const COVERED = [
  'A first GraphQL session',
  'Clients and engagements',
  'Goals',
  'Pace and forecast',
  'Private goals',
  'Values and strengths',
  'Development lists',
  'Career paths',
  'Action plans',
  'Supporters',
  'Coach dashboard',
  'Check-ins',
  'Webhooks',
  'Notifications',
  'Nudges and email',
  'Coach reports',
  'Calendar feeds',
  'Audit trail',
  'Multi-factor authentication',
];

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The ```graphql blocks with the heading they are under and the HTML comments just before them. */
export function graphqlBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  let section = '';
  let pending: { as?: string; expect?: string } = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heading = /^#{2,4} (.+)$/.exec(line);
    if (heading) section = heading[1].trim();
    const comment = /^<!-- (as|expect): (\S+) -->$/.exec(line.trim());
    if (comment) pending = { ...pending, [comment[1]]: comment[2] };
    if (line.startsWith('```')) {
      const fence = line.trim();
      const start = i;
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i]);
      if (fence === '```graphql')
        blocks.push({ section, line: start + 1, text: body.join('\n'), ...pending });
      pending = {};
    } else if (line.trim() !== '' && !comment) pending = {};
  }
  return blocks;
}

/** The top-level operations of a block (a block may hold several), comments and strings respected. */
export function operationsOf(text: string): string[] {
  return operationsWithCallers(text).map((o) => o.op);
}

/** Each operation with the caller a `# as: coach` line before it in the block names (else undefined). */
export function operationsWithCallers(text: string): Array<{ op: string; as?: string }> {
  const ops: Array<{ op: string; as?: string }> = [];
  let as: string | undefined;
  let depth = 0;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '#') {
      const end = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
      const caller = depth === 0 && start < 0 ? /^#\s*as:\s*(\S+)/.exec(text.slice(i, end)) : null;
      if (caller) as = caller[1];
      i = end;
    } else if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{') {
      if (depth === 0 && start < 0) start = i;
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) {
        ops.push({ op: text.slice(start, i + 1), as });
        start = -1;
      }
    } else if (depth === 0 && start < 0 && /\S/.test(c)) start = i;
  }
  return ops;
}

/** `createClient` → `client`, `changeGoalStatus` → `goal`, `goal` → `goal`: the kind of object a field is about. */
const kindOf = (field: string) => {
  if (field in ROOT_KINDS) return ROOT_KINDS[field];
  const words = field.split(/(?=[A-Z])/);
  return (words.length > 1 ? words[1] : words[0]).toLowerCase();
};

/** Operations whose name does not say the kind of object they return. */
const ROOT_KINDS: Record<string, string> = {
  askSupporter: 'request',
  createCheckInTemplate: 'template',
  assignCheckIn: 'assignment',
  updateCheckInAssignment: 'assignment',
  markNotificationsRead: 'notification',
};

/** Operations whose access token is not a person's session that `me` could name. */
const SESSION_OF: Record<string, string> = { actAsClient: 'partner', exchangeSupporterLink: 'supporter' };

/** Arguments whose name is not the kind of object they take. */
const ALIASES: Record<string, string> = {
  parent: 'goal',
  item: 'development',
  step: 'nextStep',
  task: 'action',
  recipient: 'client',
  webhook: 'endpoint', // updateWebhookEndpoint(id), rotateWebhookSecret(id)
  // the latest node a connection listed (`checkIns(openNow: true)`, `notifications`)
  checkin: 'node',
  notification: 'node',
};

/**
 * The day README's dates are written for (a Monday): the test moves them by whole weeks so it falls on or before
 * yesterday (UTC), hence on or before today in every client's zone.
 */
const README_TODAY = '2027-03-22';
const DAY_MS = 86_400_000;
const weeksToToday = Math.floor((Date.now() - DAY_MS - Date.parse(README_TODAY)) / (7 * DAY_MS));
const shiftDates = (op: string) =>
  op.replace(/\b(\d{4}-\d{2}-\d{2})(?=[T"])/g, (date) =>
    new Date(Date.parse(date) + weeksToToday * 7 * DAY_MS).toISOString().slice(0, 10),
  );

const rootFieldOf = (op: string) => /\{\s*(\w+)/.exec(op.replace(/#[^\n]*/g, ''))?.[1] ?? '';

/** What the examples so far created and obtained. */
class Run {
  readonly ids = new Map<string, string>();
  readonly strings: string[] = [];
  readonly sessions = new Map<string, string>();
  readonly slug = uniqueSlug('summit');

  constructor(private readonly api: TestApi) {}

  /** `"…"` → the id of the kind its argument names (`clientId`, or `id` of the field's kind); `"inv_…"` → the latest `inv_` token. */
  resolve(op: string): string {
    const root = rootFieldOf(op);
    return shiftDates(op)
      .replace(/"summit"/g, JSON.stringify(this.slug))
      .replace(/(\w+)(\s*:\s*\[?)"([^"…]*)…"/g, (_all, arg: string, colon: string, prefix: string) => {
        let value: string | undefined;
        if (prefix) value = this.strings.findLast((s) => s.startsWith(prefix) && s.length > prefix.length);
        else {
          const kind = arg === 'id' || arg === 'ids' ? kindOf(root) : arg.replace(/Ids?$/, '').toLowerCase();
          value = this.ids.get(ALIASES[kind] ?? kind);
        }
        if (value === undefined) throw new Error(`no value yet for ${arg}: "${prefix}…" in ${op}`);
        return `${arg}${colon}${JSON.stringify(value)}`;
      });
  }

  credentials(as: string | undefined): Credentials {
    const who = as ?? (this.sessions.has('admin') ? 'admin' : 'none');
    if (who === 'none') return {};
    if (who === 'api-key') {
      const apiKey = this.strings.findLast((s) => s.startsWith('cak_'));
      if (!apiKey) throw new Error('no API key created yet');
      return { apiKey };
    }
    const token = this.sessions.get(who);
    if (!token) throw new Error(`no session of ${who} yet`);
    return { token };
  }

  /** Remembers ids (by the key they sit under, or the root field's kind), their roles, tokens and sessions. */
  async record(root: string, value: unknown): Promise<void> {
    const walk = async (key: string, v: unknown): Promise<void> => {
      if (typeof v === 'string') this.strings.push(v);
      if (Array.isArray(v)) for (const item of v) await walk(key, item);
      if (!v || typeof v !== 'object' || Array.isArray(v)) return;
      const o = v as Record<string, unknown>;
      if (typeof o.id === 'string') {
        this.ids.set(key, o.id);
        // a user's role or a trait's kind names it too: `clientId`, `valueIds`
        for (const k of [o.role, o.kind]) if (typeof k === 'string') this.ids.set(k.toLowerCase(), o.id);
      }
      for (const [k, child] of Object.entries(o)) await walk(k, child);
      if (typeof o.accessToken === 'string') {
        const user = o.user as { role?: string } | undefined;
        const role =
          SESSION_OF[root] ??
          user?.role ??
          (await this.api.ok<{ me: { role: string } }>(`{ me { role } }`, {}, { token: o.accessToken })).me
            .role;
        this.sessions.set(role.toLowerCase(), o.accessToken);
      }
    };
    await walk(kindOf(root), value);
  }
}

const blocks = graphqlBlocks(README);

describe('README.md’s GraphQL examples', () => {
  let api: TestApi;
  beforeAll(async () => {
    // as README → Webhooks starts the API, so the example endpoint on 127.0.0.1 is accepted
    api = await TestApi.start(ApiModule.forRoot(testConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' })));
  });
  afterAll(() => api.close());

  it('finds the blocks and their operations', () => {
    expect(blocks.length).toBe(README.match(/^```graphql$/gm)?.length);
    expect(blocks.filter((b) => b.expect).length).toBeGreaterThan(0);
    expect(operationsOf(`mutation { a(x: "}#") { b } }  # c { d }\nquery { e }`)).toEqual([
      `mutation { a(x: "}#") { b } }`,
      `query { e }`,
    ]);
    expect(operationsWithCallers(`query { a }\n# as: coach (agreed)\nquery { b }`)).toEqual([
      { op: 'query { a }', as: undefined },
      { op: 'query { b }', as: 'coach' },
    ]);
  });

  it('classifies every section with an example as run or not run yet (with why)', () => {
    const sections = [...new Set(blocks.map((b) => b.section))];
    expect(sections.filter((s) => !COVERED.includes(s) && !(s in NOT_COVERED))).toEqual([]);
    expect([...COVERED, ...Object.keys(NOT_COVERED)].filter((s) => !sections.includes(s))).toEqual([]);
  });

  it('leaves out only operations the README shows', () => {
    const roots = blocks.flatMap((b) => operationsOf(b.text).map(rootFieldOf));
    expect(Object.keys(NOT_RUN).filter((root) => !roots.includes(root))).toEqual([]);
  });

  it('runs, in order, every example of the covered sections', async () => {
    const run = new Run(api);
    for (const block of blocks.filter((b) => COVERED.includes(b.section))) {
      for (const { op, as } of operationsWithCallers(block.text)) {
        if (rootFieldOf(op) in NOT_RUN) continue;
        const query = run.resolve(op);
        const result = await api.gql(query, {}, run.credentials(as ?? block.as));
        const where = `README.md:${block.line} (${block.section}): ${op}`;
        if (block.expect) {
          expect({ where, code: result.errors?.[0]?.extensions?.code }).toEqual({
            where,
            code: block.expect,
          });
          continue;
        }
        expect({ where, errors: result.errors }).toEqual({ where, errors: undefined });
        for (const [root, value] of Object.entries(result.data ?? {})) await run.record(root, value);
      }
    }
  });
});
