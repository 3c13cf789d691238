import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  GraphQLField,
  GraphQLInputType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
} from 'graphql';
import { ApiModule } from '#cairn-app/api';
import { ErrorCode } from '#cairn/shared/graphql';
import { coachingFirm, createApiKey, FirmFixture, Session, testConfig } from '#cairn/shared/testing';
import { operationText, plausible, plausibleArguments, type PlausibleIds, TestApi } from './support/index.js';

/**
 * Every query and mutation of the committed schema (which the conventions suite proves is the one served, so
 * operations added later are covered without touching this file) called with one generated bad value placed
 * into otherwise plausible arguments. Whatever the value: no HTTP 5xx, no HTML, a stable code on every error,
 * never INTERNAL_SERVER_ERROR, and when an error comes back, no row of the firm written.
 */
const schema = buildSchema(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
const RUNS_PER_OPERATION = 6;
/**
 * The whole file's time budget, shared out per operation: on a busy machine the runs left when an operation's
 * share is spent pass without calling (every operation makes at least its first calls). fast-check's own
 * interruptAfterTimeLimit is not used: it abandons a run mid-request, which then writes during the next test.
 */
const TOTAL_BUDGET_MS = 45_000;

// Apollo's own codes for protocol problems, beside ours. INTERNAL_SERVER_ERROR is the one never allowed.
const STABLE_CODES = new Set<string>([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
]);

type Credential = 'admin' | 'coach' | 'client' | 'apiKey' | 'none';
type PathKey = string | number;
interface Position {
  path: PathKey[];
  /** The type of every step of the path, so missing optional containers can be filled in plausibly. */
  types: GraphQLInputType[];
}

interface Operation {
  kind: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
  text: string;
  positions: Position[];
}

// ----- plausible values, so the bad one is what the server has to deal with ---------------------------------

let ids: PlausibleIds;

// ----- bad values, by the kind of place they are put in ------------------------------------------------------

const HOSTILE_CHARS = ['\u0000', '\ud800', '\udfff', '\ud83d'];
const generatedHostileText = fc
  .tuple(fc.string({ maxLength: 20 }), fc.constantFrom(...HOSTILE_CHARS), fc.string({ maxLength: 20 }))
  .map(([before, bad, after]) => `${before}${bad}${after}`);
const WRONG_TYPES = [{}, [], { nested: { deeper: true } }, true];

function badValues(type: GraphQLInputType, name: string): fc.Arbitrary<unknown> {
  const named = getNamedType(type);
  const common: unknown[] = [null, ...WRONG_TYPES];
  if (isListType(isNonNullType(type) ? type.ofType : type)) {
    const item = plausible(getNamedType(type) as GraphQLInputType, name, ids);
    common.push(
      [],
      [null],
      Array.from({ length: 200 }, () => item),
    );
  }
  if (isInputObjectType(named))
    return fc.constantFrom<unknown>(...common, {}, 'not an object', { unknownField: 1 });
  if (isEnumType(named))
    return fc.constantFrom<unknown>(...common, 'NOT_A_VALUE', named.getValues()[0].name.toLowerCase(), 1);
  switch (named.name) {
    case 'String':
    case 'ID':
      return fc.oneof(
        generatedHostileText,
        fc.constantFrom<unknown>(
          ...common,
          '',
          '   ',
          '\t\n',
          'x'.repeat(10_001),
          'not-an-id',
          "' OR 1=1 --",
          '00000000-0000-0000-0000-00000000000g',
          '\u0000',
          '\ud800',
          42,
        ),
      );
    case 'Int':
      return fc.constantFrom<unknown>(
        ...common,
        -1,
        0,
        -2147483648,
        2147483647,
        2147483648,
        1e20,
        2.5,
        'abc',
        1000,
        1_000_000,
      );
    case 'Float':
      return fc.constantFrom<unknown>(...common, -1, -1e308, 1e308, 'abc', 1e-300);
    case 'Boolean':
      return fc.constantFrom<unknown>(...common, 'yes', 1);
    case 'LocalDate':
      return fc.constantFrom<unknown>(
        ...common,
        '2025-02-30',
        '2025-13-01',
        '2025-01-01T00:00:00Z',
        '0000-01-01',
        '9999-12-31',
        '2025-1-1',
        '1900-01-01',
        20250101,
      );
    case 'DateTime':
      return fc.constantFrom<unknown>(
        ...common,
        'not a date',
        '2025-13-01T00:00:00Z',
        '2025-02-30T25:61:00Z',
        1e20,
        '+275760-09-13T00:00:00.001Z',
      );
    default:
      return fc.constantFrom<unknown>(...common, '\u0000', 'x'.repeat(10_001));
  }
}

// ----- operations from the schema -----------------------------------------------------------------------------

function positionsOf(
  type: GraphQLInputType,
  path: PathKey[],
  types: GraphQLInputType[],
  depth: number,
): Position[] {
  const here: Position = { path, types };
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const item = inner.ofType as GraphQLInputType;
    return [here, ...positionsOf(item, [...path, 0], [...types, item], depth)];
  }
  if (!isInputObjectType(inner) || depth >= 3) return [here];
  const fields = Object.values(inner.getFields());
  return [
    here,
    ...fields.flatMap((f) => positionsOf(f.type, [...path, f.name], [...types, f.type], depth + 1)),
  ];
}

function operationsOf(kind: 'query' | 'mutation'): Operation[] {
  const root = kind === 'query' ? schema.getQueryType() : schema.getMutationType();
  return Object.values(root?.getFields() ?? {})
    .filter((field) => field.args.length > 0)
    .map((field) => ({
      kind,
      field,
      text: operationText(kind, field),
      positions: field.args.flatMap((a) => positionsOf(a.type, [a.name], [a.type], 0)),
    }));
}

interface Placement {
  position: Position;
  value: unknown;
}
interface HostileCall {
  placements: Placement[];
  credential: Credential;
}

/** The plausible required arguments, with each value put at its position (containers on the way made plausible). */
function variablesWith(operation: Operation, placements: Placement[]): Record<string, unknown> {
  const variables = plausibleArguments(operation.field, ids);
  for (const { position, value } of placements) {
    let container: Record<PathKey, unknown> = variables;
    position.path.forEach((key, i) => {
      if (i === position.path.length - 1) {
        container[key] = value;
        return;
      }
      const existing = container[key];
      if (existing === null || typeof existing !== 'object')
        container[key] = plausible(position.types[i], String(key), ids);
      container = container[key] as Record<PathKey, unknown>;
    });
  }
  return variables;
}

const isTextPosition = (position: Position) => {
  const type = getNullableType(position.types.at(-1) as GraphQLInputType);
  return !isListType(type) && getNamedType(type).name === 'String';
};

const OPERATIONS = [...operationsOf('query'), ...operationsOf('mutation')];

describe('hostile input fuzz: every query and mutation', () => {
  let api: TestApi;
  let firm: FirmFixture;
  let sessions: Record<Exclude<Credential, 'apiKey' | 'none'>, Session>;
  let apiKeySecret: string;
  let fingerprintSql: string;

  beforeAll(async () => {
    api = await TestApi.start(ApiModule.forRoot(testConfig()));
    const { firm: fixture, coach, client } = await coachingFirm(api);
    firm = fixture;
    sessions = { admin: firm.admin, coach, client };
    ids = { clientId: client.user.id, coachId: coach.user.id };
    const scopeEnum = schema.getType('ApiScope');
    const scopes = isEnumType(scopeEnum) ? scopeEnum.getValues().map((v) => v.name) : [];
    apiKeySecret = (await createApiKey(api, firm, scopes)).secret;

    // One marker per tenant-owned table: its row count and the newest row version (xmin), so an insert, update
    // or delete of any of the firm's rows shows. Read as the owner, beside RLS.
    const tables: Array<{ table_name: string }> = await api.dataSource.query(
      `SELECT DISTINCT table_name FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name`,
    );
    fingerprintSql = tables
      .map(
        ({ table_name }) =>
          `SELECT '${table_name}' AS t, count(*) || ':' || coalesce(max(xmin::text::bigint), 0) AS f FROM "${table_name}" WHERE tenant_id = $1`,
      )
      .join(' UNION ALL ');
  });
  afterAll(() => api.close());

  const fingerprint = async (): Promise<Record<string, string>> =>
    Object.fromEntries(
      ((await api.dataSource.query(fingerprintSql, [firm.tenantId])) as Array<{ t: string; f: string }>).map(
        (r) => [r.t, r.f],
      ),
    );

  /**
   * Rows a failing call may legitimately write, each with its reason. An API key's lastUsedAt is stamped once the
   * key is verified, before the operation runs, whatever the operation then answers.
   */
  const writesAllowedOnFailure = (credential: Credential): string[] =>
    credential === 'apiKey' ? ['api_keys'] : [];

  async function call(operation: Operation, variables: Record<string, unknown>, credential: Credential) {
    let req = api.http.post('/graphql').set('content-type', 'application/json');
    if (credential === 'apiKey') req = req.set('x-api-key', apiKeySecret);
    else if (credential !== 'none')
      req = req.set('authorization', `Bearer ${sessions[credential].accessToken}`);
    return req.send({ query: operation.text, variables });
  }

  it('generates an operation for every query and mutation with arguments', () => {
    expect(OPERATIONS.length).toBeGreaterThan(90);
    expect(OPERATIONS.map((o) => o.field.name)).toEqual(
      expect.arrayContaining(['login', 'createGoal', 'clients']),
    );
  });

  it.each(OPERATIONS.map((o) => [`${o.kind} ${o.field.name}`, o] as const))(
    '%s',
    async (_name, operation) => {
      // One bad value at one generated place per run, plus, always first, the same hostile text in every text
      // field at once (as the admin), so each operation meets NUL, a lone surrogate and blank text where it stores
      // text, however few runs the time budget leaves.
      const oneBadValue: fc.Arbitrary<HostileCall> = fc.oneof(
        ...operation.positions.map((position) =>
          fc.record({
            placements: badValues(
              position.types.at(-1) as GraphQLInputType,
              String(position.path.at(-1)),
            ).map((value) => [{ position, value }]),
            credential: fc.constantFrom<Credential>('admin', 'admin', 'coach', 'client', 'apiKey', 'none'),
          }),
        ),
      );
      const textPositions = operation.positions.filter(isTextPosition);
      const everywhere = (text: string): HostileCall => ({
        placements: textPositions.map((position) => ({ position, value: text })),
        credential: 'admin',
      });
      const examples: Array<[HostileCall]> = textPositions.length
        ? ['x\u0000y', 'x\ud800', ' \t '].map((text): [HostileCall] => [everywhere(text)])
        : [];
      const deadline = Date.now() + TOTAL_BUDGET_MS / OPERATIONS.length;
      let calls = 0;
      await fc.assert(
        fc.asyncProperty(oneBadValue, async ({ placements, credential }) => {
          if (calls++ >= examples.length && Date.now() > deadline) return;
          const variables = variablesWith(operation, placements);
          const before = await fingerprint();
          const res = await call(operation, variables, credential);
          const what = { status: res.status, body: res.text.slice(0, 500) };
          expect({ ...what, serverError: res.status >= 500 }).toEqual({ ...what, serverError: false });
          expect(res.headers['content-type']).toMatch(/^application\/json/);
          expect(res.text).not.toMatch(/<html|<pre/i);
          const errors: Array<{ extensions?: { code?: string } }> = res.body.errors ?? [];
          for (const error of errors) {
            const code = error.extensions?.code;
            expect({ ...what, code, stable: STABLE_CODES.has(code ?? '') }).toEqual({
              ...what,
              code,
              stable: true,
            });
          }
          if (errors.length) {
            const after = await fingerprint();
            for (const table of writesAllowedOnFailure(credential)) {
              delete before[table];
              delete after[table];
            }
            expect({ ...what, rows: after }).toEqual({ ...what, rows: before });
          }
        }),
        {
          numRuns: RUNS_PER_OPERATION,
          examples,
        },
      );
    },
  );
});
