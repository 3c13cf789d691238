/** Text limits of goals; the DTOs, field descriptions and the migration's CHECKs use the same numbers. */
export const GOAL_LIMITS = {
  title: 200,
  description: 4000,
  whyText: 2000,
  attainabilityText: 2000,
  listItems: 20,
  listItem: 80,
  reason: 500,
  measureTitle: 200,
  unit: 40,
  note: 1000,
} as const;
