import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { IsEmail, IsEnum, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Role } from '#cairn/shared/auth';
import { PASSWORD_MIN_LENGTH } from '../../firms/dto/sign-up-firm.input.js';
import { Invitation } from '../invitation.entity.js';

@InputType()
export class InviteUserInput {
  @Field()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @Field()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  displayName: string;

  @Field(() => Role)
  @IsEnum(Role)
  role: Role;
}

@ObjectType()
export class CreatedInvitation {
  @Field(() => Invitation)
  invitation: Invitation;

  @Field({
    description:
      'Give this to the invitee (e.g. in a link your frontend sends); `acceptInvitation` takes it. Shown only now.',
  })
  token: string;
}

@InputType()
export class AcceptInvitationInput {
  @Field()
  @IsString()
  @Matches(/^inv_/, { message: 'token is not an invitation token' })
  @MaxLength(200)
  token: string;

  @Field({ description: `At least ${PASSWORD_MIN_LENGTH} characters.` })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(200)
  password: string;

  @Field({ nullable: true, description: 'Overrides the name the inviter entered.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  displayName?: string;
}
