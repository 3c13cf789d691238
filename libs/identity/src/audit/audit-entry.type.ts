import { Field, ID, ObjectType } from '@nestjs/graphql';
import { AuditAction, AuditActorKind, AuditOutcome, AuditSubjectType } from '#cairn/shared/audit';

@ObjectType({
  description: 'One detail of an entry: a code, an id, a number or a flag, never personal text.',
})
export class AuditDetail {
  @Field()
  name: string;

  @Field(() => [String], { description: 'One value, or several for a list (e.g. the scopes of a key).' })
  values: string[];
}

@ObjectType({
  description: 'One security-relevant action of the firm, as it happened; entries never change.',
})
export class AuditEntry {
  @Field(() => ID)
  id: string;

  @Field(() => AuditAction)
  action: AuditAction;

  @Field(() => AuditOutcome)
  outcome: AuditOutcome;

  @Field(() => AuditActorKind)
  actorKind: AuditActorKind;

  @Field(() => ID, { nullable: true, description: 'The user or API key; null for SYSTEM and ANONYMOUS.' })
  actorId: string | null;

  @Field(() => AuditSubjectType, { nullable: true })
  subjectType: AuditSubjectType | null;

  @Field(() => ID, { nullable: true })
  subjectId: string | null;

  @Field(() => [AuditDetail])
  details: AuditDetail[];

  @Field()
  createdAt: Date;
}
