import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'One answer; the field of the prompt’s type is set.' })
export class CheckInAnswer {
  @Field()
  key: string;

  @Field(() => Int, { nullable: true })
  scale: number | null;

  @Field(() => Boolean, { nullable: true })
  yesNo: boolean | null;

  @Field(() => String, { nullable: true })
  text: string | null;

  @Field(() => Float, { nullable: true })
  number: number | null;

  @Field(() => [String], { nullable: true })
  choices: string[] | null;
}
