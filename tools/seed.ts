import { DEMO, type GraphqlCall, seedDemoFirm } from '#cairn/demo';

/**
 * `npm run seed`: creates the demo firm through the public GraphQL API of a running Cairn (start it with
 * `npm start` first). Talking to the API rather than the database keeps the seed honest: it goes through the
 * same validation, tenancy and revision rules as any integrator, on the embedded or any external database.
 */
const url = process.env.CAIRN_API_URL ?? `http://127.0.0.1:${process.env.API_PORT ?? 3000}/graphql`;

const call: GraphqlCall = async (query, variables = {}, token) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) {
    const [first] = body.errors;
    throw Object.assign(new Error(`${first.extensions?.code ?? 'ERROR'}: ${first.message}`), { code: first.extensions?.code });
  }
  return body.data as never;
};

async function waitForApi(deadline = Date.now() + 90_000): Promise<void> {
  for (;;) {
    try {
      await call('{ __typename }');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`No Cairn API answered at ${url}: is \`npm start\` running? (${String(error)})`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

await waitForApi();
const result = await seedDemoFirm(call);
console.log(result.created ? `Created the demo firm "${DEMO.firmSlug}".` : `The demo firm "${DEMO.firmSlug}" already exists.`);
console.log(`
Sign in (firmSlug "${DEMO.firmSlug}", password "${DEMO.password}"):
  admin  ${DEMO.adminEmail}
  coach  ${DEMO.coachEmail}
  client ${DEMO.clientEmail}
GraphQL endpoint: ${url} — see README "Demo data" for queries to try.`);
