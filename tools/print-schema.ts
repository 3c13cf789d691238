import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { actionPlansResolvers } from '#cairn/action-plans';
import { caseloadResolvers } from '#cairn/caseload';
import { checkInsResolvers } from '#cairn/check-ins';
import { clientsResolvers } from '#cairn/clients';
import { developmentResolvers } from '#cairn/development';
import { goalsResolvers } from '#cairn/goals';
import { identityResolvers } from '#cairn/identity';
import { messagingResolvers } from '#cairn/messaging';
import { notificationsResolvers } from '#cairn/notifications';
import { nudgesResolvers } from '#cairn/nudges';
import { reportsResolvers } from '#cairn/reports';
import { webhooksResolvers } from '#cairn/webhooks';
import { calendarFeedsResolvers } from '#cairn/calendar-feeds';

// The committed schema.graphql is the API contract; `--check` fails when code and file disagree.
const FILE = new URL('../../schema.graphql', import.meta.url);

const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
await app.init();
const schema = await app.get(GraphQLSchemaFactory).create([...identityResolvers, ...clientsResolvers, ...goalsResolvers, ...developmentResolvers, ...actionPlansResolvers, ...caseloadResolvers, ...checkInsResolvers, ...webhooksResolvers, ...notificationsResolvers, ...messagingResolvers, ...nudgesResolvers, ...calendarFeedsResolvers, ...reportsResolvers]);
const printed = `${printSchema(lexicographicSortSchema(schema))}\n`;
await app.close();

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(FILE, 'utf8');
  } catch {
    // missing file: reported below
  }
  if (committed !== printed) {
    console.error('schema.graphql is out of date with the code: run `npm run schema:print` and commit it.');
    process.exit(1);
  }
  console.log('schema.graphql matches the code');
} else {
  writeFileSync(FILE, printed);
  console.log('Wrote schema.graphql');
}
