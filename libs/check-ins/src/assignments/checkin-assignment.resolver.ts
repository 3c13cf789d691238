import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes, Role, Roles } from '#cairn/shared/auth';
import { IdPipe } from '#cairn/shared/graphql';
import { AssignmentStatus, CheckInAssignment } from './checkin-assignment.entity.js';
import { CheckInAssignmentService } from './checkin-assignment.service.js';
import { AssignCheckInInput, UpdateCheckInAssignmentInput } from './dto/assign-check-in.input.js';

@Resolver(() => CheckInAssignment)
export class CheckInAssignmentResolver {
  constructor(private readonly assignments: CheckInAssignmentService) {}

  @RequireScopes(ApiScope.CHECKINS_READ)
  @Query(() => [CheckInAssignment], { description: 'A client’s check-in assignments, oldest first.' })
  checkInAssignments(
    @CurrentPrincipal() principal: Principal,
    @Args('clientId', { type: () => ID }, IdPipe) clientId: string,
  ): Promise<CheckInAssignment[]> {
    return this.assignments.forClient(principal, clientId);
  }

  @Roles(Role.ADMIN, Role.COACH)
  @RequireScopes(ApiScope.CHECKINS_WRITE)
  @Mutation(() => CheckInAssignment, {
    description: 'Assigns a template to a client, recurring or once; the next two weeks of check-ins appear at once.',
  })
  assignCheckIn(@CurrentPrincipal() principal: Principal, @Args('input') input: AssignCheckInInput) {
    return this.assignments.assign(principal, input);
  }

  @Roles(Role.ADMIN, Role.COACH)
  @RequireScopes(ApiScope.CHECKINS_WRITE)
  @Mutation(() => CheckInAssignment, {
    description:
      'Changes cadence, start, end or window in place, or moves check-ins not yet open to the template’s current version. ' +
      'Only PENDING check-ins that have not opened are re-planned; answered, missed, excused and open ones stay.',
  })
  updateCheckInAssignment(@CurrentPrincipal() principal: Principal, @Args('input') input: UpdateCheckInAssignmentInput) {
    return this.assignments.update(principal, input);
  }

  @Roles(Role.ADMIN, Role.COACH)
  @RequireScopes(ApiScope.CHECKINS_WRITE)
  @Mutation(() => CheckInAssignment, { description: 'Withdraws check-ins not yet open; open ones stay answerable.' })
  pauseCheckInAssignment(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdPipe) id: string,
    @Args('expectedVersion', { type: () => Int }) expectedVersion: number,
  ) {
    return this.assignments.setStatus(principal, id, expectedVersion, AssignmentStatus.PAUSED);
  }

  @Roles(Role.ADMIN, Role.COACH)
  @RequireScopes(ApiScope.CHECKINS_WRITE)
  @Mutation(() => CheckInAssignment)
  resumeCheckInAssignment(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdPipe) id: string,
    @Args('expectedVersion', { type: () => Int }) expectedVersion: number,
  ) {
    return this.assignments.setStatus(principal, id, expectedVersion, AssignmentStatus.ACTIVE);
  }

  @Roles(Role.ADMIN, Role.COACH)
  @RequireScopes(ApiScope.CHECKINS_WRITE)
  @Mutation(() => CheckInAssignment, { description: 'Final; check-ins already answered stay.' })
  endCheckInAssignment(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdPipe) id: string,
    @Args('expectedVersion', { type: () => Int }) expectedVersion: number,
  ) {
    return this.assignments.setStatus(principal, id, expectedVersion, AssignmentStatus.ENDED);
  }
}
