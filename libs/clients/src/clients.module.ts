import { Module } from '@nestjs/common';
import { IdentityCoreModule } from '#cairn/identity';
import { CaseloadAccess } from './access/caseload-access.service.js';
import { ClientResolver } from './clients/client.resolver.js';
import { ClientService } from './clients/client.service.js';
import { Engagement } from './engagements/engagement.entity.js';
import { EngagementResolver } from './engagements/engagement.resolver.js';
import { EngagementService } from './engagements/engagement.service.js';
import { Clients1763900000200 } from './migrations/1763900000200-clients.js';
import { ProfilesTenantKey1763900002010 } from './migrations/1763900002010-profiles-tenant-key.js';
import { ClientTraits1763900002600 } from './migrations/1763900002600-client-traits.js';
import { Profile } from './profiles/profile.entity.js';
import { ProfileLoader } from './profiles/profile.loader.js';
import { UserProfileResolver } from './profiles/user-profile.resolver.js';
import { ClientTraitResolver } from './traits/client-trait.resolver.js';
import { ClientTraitService } from './traits/client-trait.service.js';

export const clientsEntities = [Profile, Engagement];
export const clientsMigrations = [Clients1763900000200, ProfilesTenantKey1763900002010, ClientTraits1763900002600];
export const clientsResolvers = [ClientResolver, EngagementResolver, UserProfileResolver, ClientTraitResolver];

const services = [CaseloadAccess, ClientService, EngagementService, ProfileLoader, ClientTraitService];

/** Caseload rules and client records, for every domain that stores data about a client. */
@Module({ imports: [IdentityCoreModule], providers: services, exports: services })
export class ClientsCoreModule {}

@Module({ imports: [ClientsCoreModule], providers: clientsResolvers })
export class ClientsModule {}
