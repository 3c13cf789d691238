import { registerEnumType } from '@nestjs/graphql';

/** The seeds' kinds of "how do you know you are progressing". */
export enum MeasureKind {
  /** Done or not done ("offered a Sales Manager position"). Progress updates record 1 (done) or 0. */
  MILESTONE = 'MILESTONE',
  /** From a baseline towards a target in a unit ("reports with a qualitative section: 0 → 4 per quarter"). */
  NUMERIC = 'NUMERIC',
  /** A number of occurrences within a period ("three conferences in twelve months"); updates add occurrences. */
  COUNT = 'COUNT',
  /** A percentage (0–100) from a baseline towards a target. */
  PERCENTAGE = 'PERCENTAGE',
}
registerEnumType(MeasureKind, {
  name: 'MeasureKind',
  valuesMap: {
    MILESTONE: { description: 'Done or not done; record 1 when done (0 to undo).' },
    NUMERIC: {
      description: 'A level between baseline and target, in a unit; each update records the current level.',
    },
    COUNT: { description: 'Occurrences within a period; each update adds its value (a whole number ≥ 1).' },
    PERCENTAGE: {
      description: 'A percentage 0–100 between baseline and target; each update records the current level.',
    },
  },
});

export enum MeasureDirection {
  INCREASE = 'INCREASE',
  DECREASE = 'DECREASE',
}
registerEnumType(MeasureDirection, {
  name: 'MeasureDirection',
  description: 'Whether success means going up from the baseline to the target, or down.',
});
