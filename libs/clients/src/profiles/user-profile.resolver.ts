import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { User } from '#cairn/identity';
import { ProfileLoader } from './profile.loader.js';

/** Adds the profile to every user (coaches and admins have one too). */
@Resolver(() => User)
export class UserProfileResolver {
  constructor(private readonly profiles: ProfileLoader) {}

  @ResolveField(() => String, { nullable: true })
  async jobTitle(@Parent() user: User): Promise<string | null> {
    return (await this.profiles.profile(user.id))?.jobTitle ?? null;
  }

  @ResolveField(() => String, { nullable: true })
  async organization(@Parent() user: User): Promise<string | null> {
    return (await this.profiles.profile(user.id))?.organization ?? null;
  }
}
