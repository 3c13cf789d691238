import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum DataExportStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  READY = 'READY',
  DOWNLOADED = 'DOWNLOADED',
  EXPIRED = 'EXPIRED',
  FAILED = 'FAILED',
}
registerEnumType(DataExportStatus, {
  name: 'DataExportStatus',
  description:
    'QUEUED → RUNNING (progress 0–100) → READY (download once) → DOWNLOADED; EXPIRED when its time ran out first; ' +
    'FAILED when it could not be built (ask for a new one).',
});

@ObjectType({ description: 'An export of everything Cairn holds about one client, as one JSON document.' })
export class DataExport {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  clientId: string;

  @Field(() => ID)
  requestedByUserId: string;

  @Field(() => DataExportStatus)
  status: DataExportStatus;

  @Field(() => Int, { description: '0–100, while the worker builds it.' })
  progress: number;

  @Field(() => String, { nullable: true })
  failure: string | null;

  @Field(() => GraphQLISODateTime, { description: 'The link stops working, and the document is deleted, then.' })
  expiresAt: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  readyAt: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  downloadedAt: Date | null;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;
}

@ObjectType()
export class RequestedDataExport {
  @Field(() => DataExport)
  dataExport: DataExport;

  @Field({
    description:
      'GET it once the export is READY: it answers the JSON document once (then 410), until expiresAt. Shown only here.',
  })
  downloadUrl: string;
}
