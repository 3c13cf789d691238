import { Args, ID, Int, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ApiScope, CurrentPrincipal, type Principal, RequireScopes, Role, Roles } from '#cairn/shared/auth';
import { Connection, type ConnectionShape, IdPipe } from '#cairn/shared/graphql';
import { CheckInTemplateVersion } from './checkin-template-version.entity.js';
import { CheckInTemplate } from './checkin-template.entity.js';
import { CheckInTemplateService } from './checkin-template.service.js';
import { CheckInTemplatesArgs, CreateCheckInTemplateInput, UpdateCheckInTemplateInput } from './dto/checkin-template.inputs.js';

@ObjectType()
export class CheckInTemplateConnection extends Connection(CheckInTemplate) {}

@Resolver(() => CheckInTemplate)
export class CheckInTemplateResolver {
  constructor(private readonly templates: CheckInTemplateService) {}

  @Roles(Role.ADMIN, Role.COACH)
  @RequireScopes(ApiScope.CHECKINS_READ)
  @Query(() => CheckInTemplateConnection, { description: 'The firm’s check-in library, oldest first.' })
  checkInTemplates(@Args() args: CheckInTemplatesArgs): Promise<ConnectionShape<CheckInTemplate>> {
    return this.templates.list(args);
  }

  @Roles(Role.ADMIN, Role.COACH)
  @RequireScopes(ApiScope.CHECKINS_READ)
  @Query(() => CheckInTemplate)
  checkInTemplate(@Args('id', { type: () => ID }, IdPipe) id: string): Promise<CheckInTemplate> {
    return this.templates.get(id);
  }

  @Roles(Role.ADMIN, Role.COACH)
  @RequireScopes(ApiScope.CHECKINS_READ)
  @Query(() => CheckInTemplateVersion, { description: 'One version as it was sent (check-ins point at these).' })
  checkInTemplateVersion(@Args('id', { type: () => ID }, IdPipe) id: string): Promise<CheckInTemplateVersion> {
    return this.templates.getVersion(id);
  }

  @Roles(Role.ADMIN, Role.COACH)
  @RequireScopes(ApiScope.CHECKINS_WRITE)
  @Mutation(() => CheckInTemplate, { description: 'Creates a template with its version 1.' })
  createCheckInTemplate(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateCheckInTemplateInput,
  ): Promise<CheckInTemplate> {
    return this.templates.create(principal, input);
  }

  @Roles(Role.ADMIN, Role.COACH)
  @RequireScopes(ApiScope.CHECKINS_WRITE)
  @Mutation(() => CheckInTemplate, { description: 'Admins, or the coach who created the template.' })
  updateCheckInTemplate(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: UpdateCheckInTemplateInput,
  ): Promise<CheckInTemplate> {
    return this.templates.update(principal, input);
  }

  @Roles(Role.ADMIN, Role.COACH)
  @RequireScopes(ApiScope.CHECKINS_WRITE)
  @Mutation(() => CheckInTemplate, { description: 'Archived templates stay readable but cannot be edited or assigned.' })
  archiveCheckInTemplate(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdPipe) id: string,
  ): Promise<CheckInTemplate> {
    return this.templates.setArchived(principal, id, true);
  }

  @Roles(Role.ADMIN, Role.COACH)
  @RequireScopes(ApiScope.CHECKINS_WRITE)
  @Mutation(() => CheckInTemplate)
  restoreCheckInTemplate(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdPipe) id: string,
  ): Promise<CheckInTemplate> {
    return this.templates.setArchived(principal, id, false);
  }

  @ResolveField(() => CheckInTemplateVersion, { description: 'The prompts new check-ins are sent with.' })
  async current(@Parent() template: CheckInTemplate): Promise<CheckInTemplateVersion> {
    const versions = await this.templates.versionsOf(template.id);
    return versions.find((v) => v.version === template.currentVersion) as CheckInTemplateVersion;
  }

  @ResolveField(() => [CheckInTemplateVersion], { description: 'Every version, newest first.' })
  versions(
    @Parent() template: CheckInTemplate,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
  ): Promise<CheckInTemplateVersion[]> {
    return this.templates.versionsOf(template.id).then((rows) => rows.slice(0, Math.max(0, Math.min(first, 100))));
  }
}
