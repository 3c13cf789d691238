import { TraitKind } from './trait-kind.enum.js';

/**
 * Common values and strengths to pick from (`commonTraits`), so a client has words to start with; they may
 * add their own. Short on purpose: a prompt, not a taxonomy.
 */
export const COMMON_TRAITS: Record<TraitKind, readonly string[]> = {
  [TraitKind.VALUE]: [
    'Achievement',
    'Autonomy',
    'Balance',
    'Creativity',
    'Family',
    'Financial security',
    'Growth',
    'Health',
    'Helping others',
    'Honesty',
    'Learning',
    'Ownership',
    'Recognition',
    'Respect',
    'Teamwork',
  ],
  [TraitKind.STRENGTH]: [
    'Analytical thinking',
    'Attention to detail',
    'Building relationships',
    'Coaching others',
    'Communication',
    'Creativity',
    'Embracing change',
    'Empathy',
    'Organizing',
    'Persistence',
    'Problem solving',
    'Public speaking',
    'Strategic thinking',
    'Writing',
  ],
};
