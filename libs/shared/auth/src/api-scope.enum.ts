import { registerEnumType } from '@nestjs/graphql';

/** What a partner integration's API key may do. GraphQL shows the keys (GOALS_READ); tokens carry the values. */
export enum ApiScope {
  USERS_READ = 'users:read',
  CLIENTS_READ = 'clients:read',
  CLIENTS_WRITE = 'clients:write',
  CLIENTS_ACT = 'clients:act',
  GOALS_READ = 'goals:read',
  GOALS_WRITE = 'goals:write',
  CHECKINS_READ = 'checkins:read',
  CHECKINS_WRITE = 'checkins:write',
  PROFILE_READ = 'profile:read',
  PROFILE_WRITE = 'profile:write',
  SUPPORTERS_READ = 'supporters:read',
  SUPPORTERS_WRITE = 'supporters:write',
}

registerEnumType(ApiScope, {
  name: 'ApiScope',
  description: 'Permission granted to an API key (and to client tokens minted with it).',
  valuesMap: {
    USERS_READ: { description: 'List the firm’s users.' },
    CLIENTS_READ: { description: 'Read clients, their profiles and engagements.' },
    CLIENTS_WRITE: { description: 'Create, edit and archive clients; staff engagements.' },
    CLIENTS_ACT: { description: 'Obtain short-lived tokens that act as one of the firm’s clients.' },
    GOALS_READ: { description: 'Read goals, development lists, career paths and action plans.' },
    GOALS_WRITE: {
      description: 'Create and change goals, development lists, career paths and action plans.',
    },
    CHECKINS_READ: { description: 'Read check-ins.' },
    CHECKINS_WRITE: { description: 'Answer check-ins.' },
    PROFILE_READ: { description: 'actAsClient tokens: read the client’s own account (`me`).' },
    PROFILE_WRITE: {
      description:
        'actAsClient tokens: change the client’s own name, time zone and profile (`updateMyProfile`).',
    },
    SUPPORTERS_READ: {
      description:
        'actAsClient tokens: read the client’s supporters, their digest cadence and fact-finding requests.',
    },
    SUPPORTERS_WRITE: {
      description:
        'actAsClient tokens: invite, share goals with, ask and revoke the client’s supporters; set the digest cadence.',
    },
  },
});

export const ALL_API_SCOPES = Object.values(ApiScope);

const SCOPE_NAMES = new Map(Object.entries(ApiScope).map(([name, value]) => [value, name]));
/** A scope as GraphQL's ApiScope enum spells it (CHECKINS_READ), which is what an admin grants a key. */
export const scopeName = (scope: ApiScope): string => SCOPE_NAMES.get(scope) ?? scope;
