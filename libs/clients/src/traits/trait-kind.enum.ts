import { registerEnumType } from '@nestjs/graphql';

/** What an entry of a client's profile is: something they value, or something they are good at. */
export enum TraitKind {
  VALUE = 'VALUE',
  STRENGTH = 'STRENGTH',
}
registerEnumType(TraitKind, {
  name: 'TraitKind',
  valuesMap: {
    VALUE: { description: 'A core value: what matters to the client ("Growth", "Family").' },
    STRENGTH: { description: 'A strength: what the client is good at ("Problem solving").' },
  },
});

/** Limits of the profile; the DTOs, descriptions and the migration's CHECKs use the same numbers. */
export const TRAIT_LIMITS = {
  name: 80,
  /** Entries in use per kind: a profile, not a dictionary. Removed entries do not count. */
  perKind: 20,
} as const;
