import { registerEnumType } from '@nestjs/graphql';

export enum GoalRevisionAction {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  STATUS_CHANGED = 'STATUS_CHANGED',
  MEASURE_ADDED = 'MEASURE_ADDED',
  MEASURE_UPDATED = 'MEASURE_UPDATED',
  MEASURE_REMOVED = 'MEASURE_REMOVED',
  VISIBILITY_CHANGED = 'VISIBILITY_CHANGED',
}
registerEnumType(GoalRevisionAction, { name: 'GoalRevisionAction' });
