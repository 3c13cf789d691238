import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import type { GraphQLScalarType } from 'graphql';
import { Column, CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * How an audit column shows: `'column'` in the table only, `'field'` also as a GraphQL field, or a field with
 * its own description.
 */
export type AuditColumnExposure = 'column' | 'field' | { description: string };

/** Which of the shared audit/version columns an entity has, and which of them its GraphQL type shows. */
export interface AuditColumnOptions {
  /** `id uuid PRIMARY KEY DEFAULT gen_random_uuid()` (an `ID` field when exposed). */
  id?: AuditColumnExposure;
  /** `tenant_id uuid NOT NULL`: never a GraphQL field (the tenant comes from the credential). */
  tenantId?: 'column';
  /** `created_at timestamptz NOT NULL DEFAULT now()`, set by TypeORM on insert. */
  createdAt?: AuditColumnExposure;
  /** `updated_at timestamptz NOT NULL DEFAULT now()`, set by TypeORM on every save. */
  updatedAt?: AuditColumnExposure;
  /** `version integer NOT NULL DEFAULT 1`: the optimistic-lock counter the services bump (an `Int` field). */
  version?: AuditColumnExposure;
}

interface AuditColumnTypes {
  id: string;
  tenantId: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export type AuditColumnFields<O extends AuditColumnOptions> = {
  [K in keyof AuditColumnTypes as O[K] extends AuditColumnExposure ? K : never]: AuditColumnTypes[K];
};

/** The version field's description where clients pass it back for optimistic locking. */
export const EXPECTED_VERSION_DESCRIPTION = 'Pass back as `expectedVersion` to detect concurrent edits.';

/**
 * A base class declaring the identity (id, tenant_id) and audit/version columns that 30-odd entities repeat,
 * each the same in every migration.
 * A base class, not a TypeORM embedded: TypeORM inherits a parent's columns and @nestjs/graphql an abstract
 * object type's fields, so table and GraphQL type stay exactly as declared one by one, whereas an embedded would
 * make the columns a nested object (and a nested GraphQL type unless every entity re-exposed them). Columns that
 * differ (another default, a revision number, TypeORM's @VersionColumn) stay on their entity.
 *
 *     export class Goal extends AuditColumns({ createdAt: 'field', updatedAt: 'field', version: { description } }) {
 */
export function AuditColumns<const O extends AuditColumnOptions>(
  options: O,
): abstract new () => AuditColumnFields<O> {
  @ObjectType({ isAbstract: true })
  abstract class Audited {}
  const prototype = Audited.prototype;
  const declare = (
    property: keyof AuditColumnTypes,
    exposure: AuditColumnExposure,
    column: PropertyDecorator,
  ) => {
    // What emitDecoratorMetadata writes for a decorated property; nothing writes it for one declared this way.
    const designType = property === 'version' ? Number : property === 'id' || property === 'tenantId' ? String : Date;
    Reflect.defineMetadata('design:type', designType, prototype, property);
    column(prototype, property);
    if (exposure === 'column') return;
    const type: GraphQLScalarType = property === 'version' ? Int : property === 'id' ? ID : GraphQLISODateTime;
    Field(() => type, exposure === 'field' ? {} : { description: exposure.description })(prototype, property);
  };
  if (options.id) declare('id', options.id, PrimaryGeneratedColumn('uuid'));
  if (options.tenantId) declare('tenantId', options.tenantId, Column('uuid'));
  if (options.createdAt) declare('createdAt', options.createdAt, CreateDateColumn({ type: 'timestamptz' }));
  if (options.updatedAt) declare('updatedAt', options.updatedAt, UpdateDateColumn({ type: 'timestamptz' }));
  if (options.version) declare('version', options.version, Column({ type: 'integer', default: 1 }));
  return Audited as unknown as abstract new () => AuditColumnFields<O>;
}

/**
 * The revision of a settings row that reads as defaults until first saved (nudge and report policies, nudge
 * preferences): the defaults carry version 0 and no `updatedAt`, hence the nullable field; their upserts bump both.
 */
@ObjectType({ isAbstract: true })
export abstract class SettingsRevision {
  @Column('int', { default: 1 })
  version: number;

  @Field(() => GraphQLISODateTime, { nullable: true })
  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date | null;
}
