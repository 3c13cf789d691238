import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { User } from '#cairn/identity';
import { TenantDatabase } from '#cairn/shared/database';
import { requestLoader } from '#cairn/shared/graphql';
import { Profile } from './profile.entity.js';

/** Request-batched lookups of people and their profiles, for fields resolved on every row of a page. */
@Injectable()
export class ProfileLoader {
  constructor(private readonly tenantDb: TenantDatabase) {}

  user(id: string): Promise<User | null> {
    return requestLoader<string, User>(
      'clients:users-by-id',
      (ids) => this.tenantDb.read((tx) => tx.repo(User).findBy({ id: In([...ids]) })),
      (user) => user.id,
    ).load(id);
  }

  profile(userId: string): Promise<Profile | null> {
    return requestLoader<string, Profile>(
      'profiles-by-user',
      (ids) => this.tenantDb.read((tx) => tx.repo(Profile).findBy({ userId: In([...ids]) })),
      (profile) => profile.userId,
    ).load(userId);
  }
}
