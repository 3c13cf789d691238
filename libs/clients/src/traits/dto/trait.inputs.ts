import { Field, ID, InputType } from '@nestjs/graphql';
import { IsEnum, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { TRAIT_LIMITS, TraitKind } from '../trait-kind.enum.js';

// One line of the client's own words: no control characters (tabs and newlines included), not only spaces.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ONE_LINE = /^(?=.*\S)[^\u0000-\u001f\u007f]+$/;
const NAME = `1 to ${TRAIT_LIMITS.name} characters on one line; spaces are trimmed and runs of them collapsed.`;

/** The name both writes take. */
@InputType({ isAbstract: true })
class TraitNameInput {
  @Field({ description: NAME })
  @IsString()
  @MinLength(1)
  @MaxLength(TRAIT_LIMITS.name)
  @Matches(ONE_LINE, { message: 'name must be one line of text without control characters' })
  name: string;
}

@InputType({
  description: `Adds a value or strength to your profile (at most ${TRAIT_LIMITS.perKind} of each kind in use). The same name in another case is the same entry: adding it again returns it, and restores it if you had removed it.`,
})
export class AddMyTraitInput extends TraitNameInput {
  @Field(() => TraitKind)
  @IsEnum(TraitKind)
  kind: TraitKind;
}

@InputType({ description: 'Renames an entry of your profile; goals linked to it stay linked.' })
export class RenameMyTraitInput extends TraitNameInput {
  @Field(() => ID)
  @IsUUID()
  id: string;
}
