import { DEMO, type GraphqlCall, seedDemoFirm } from '#cairn/demo';

/**
 * `npm run seed`: creates the demo firm through the public GraphQL API of a running Cairn (start it with
 * `npm start` first). Talking to the API rather than the database keeps the seed honest: it goes through the
 * same validation, tenancy and revision rules as any integrator, on the embedded or any external database.
 */
const url = process.env.CAIRN_API_URL ?? `http://127.0.0.1:${process.env.API_PORT ?? 3000}/graphql`;
/** How long an API that is still starting is waited for (SEED_WAIT_SECONDS). */
const API_WAIT_MS = Number(process.env.SEED_WAIT_SECONDS ?? 10) * 1000;

/** What the seed tells the person running it, instead of a stack trace. */
class SeedError extends Error {}

const call: GraphqlCall = async (query, variables = {}, token) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json().catch(() => {
    throw new SeedError(
      `${url} answered HTTP ${res.status}, not GraphQL: is CAIRN_API_URL (or API_PORT) right?`,
    );
  })) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) {
    const [first] = body.errors;
    throw Object.assign(new Error(`${first.extensions?.code ?? 'ERROR'}: ${first.message}`), {
      code: first.extensions?.code,
    });
  }
  return body.data as never;
};

/**
 * A few seconds for an API that is still starting (`npm start` in another terminal), saying so once; then a
 * clear message. A server that answers but is not Cairn's GraphQL fails at once.
 */
async function waitForApi(deadline = Date.now() + API_WAIT_MS): Promise<void> {
  let told = false;
  for (;;) {
    try {
      await call('{ __typename }');
      return;
    } catch (error) {
      if (error instanceof SeedError) throw error;
      if (Date.now() > deadline)
        throw new SeedError(
          `No Cairn API answered at ${url}: start it with \`npm start\` (or set CAIRN_API_URL).`,
        );
      if (!told) console.log(`Waiting for the Cairn API at ${url}…`);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

try {
  await waitForApi();
  const result = await seedDemoFirm(call);
  console.log(
    result.created
      ? `Created the demo firm "${DEMO.firmSlug}".`
      : `The demo firm "${DEMO.firmSlug}" already exists.`,
  );
  console.log(`
Sign in (firmSlug "${DEMO.firmSlug}", password "${DEMO.password}"):
  admin  ${DEMO.adminEmail}
  coach  ${DEMO.coachEmail}
  client ${DEMO.clientEmail}
GraphQL endpoint: ${url} — see README "Demo data" for queries to try.${
    result.created
      ? `
Nudges and Corey's coach report are queued (runNudgesNow, runCoachReportNow): with the worker running
(\`npm start\` runs it) they are in \`messages\` within a minute.`
      : ''
  }`);
} catch (error) {
  console.error(`npm run seed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
