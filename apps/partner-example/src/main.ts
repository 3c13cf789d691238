import { loadPartnerUsers } from './partner-users.js';
import { startPartnerExample } from './partner-server.js';

// `npm run partner-example`: CAIRN_API_URL (default http://localhost:3000), CAIRN_API_KEY, PARTNER_USERS or
// PARTNER_USERS_FILE, PORT (default 4000); see README → Partner example.
const apiKey = process.env.CAIRN_API_KEY;
if (!apiKey) {
  console.error(
    'Set CAIRN_API_KEY to a key of the firm with CLIENTS_ACT, CHECKINS_READ, CHECKINS_WRITE and GOALS_READ.',
  );
  process.exit(1);
}
const example = await startPartnerExample({
  apiUrl: process.env.CAIRN_API_URL ?? 'http://localhost:3000',
  apiKey,
  users: loadPartnerUsers(process.env),
  port: Number(process.env.PORT ?? 4000),
  host: process.env.HOST ?? '127.0.0.1',
});
console.log(
  `Partner example on ${example.url} (Cairn at ${process.env.CAIRN_API_URL ?? 'http://localhost:3000'})`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void example.close().then(() => process.exit(0)));
