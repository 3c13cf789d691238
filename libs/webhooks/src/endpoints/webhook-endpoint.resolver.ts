import { Args, ID, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal, Role, Roles } from '#cairn/shared/auth';
import { Connection, ConnectionArgs, ConnectionShape, IdPipe } from '#cairn/shared/graphql';
import {
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookEndpointWithSecret,
} from './dto/webhook-endpoint.inputs.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { SECRET_OVERLAP_HOURS, WebhookEndpointService } from './webhook-endpoint.service.js';

@ObjectType()
export class WebhookEndpointConnection extends Connection(WebhookEndpoint) {}

/** Admins only; closed to API keys (no scope grants it): an endpoint receives data about every client. */
@Roles(Role.ADMIN)
@Resolver(() => WebhookEndpoint)
export class WebhookEndpointResolver {
  constructor(private readonly endpoints: WebhookEndpointService) {}

  @Query(() => WebhookEndpointConnection, {
    description: 'The firm’s endpoints (deleted ones left out), oldest first.',
  })
  webhookEndpoints(@Args() args: ConnectionArgs): Promise<ConnectionShape<WebhookEndpoint>> {
    return this.endpoints.list(args);
  }

  @Mutation(() => WebhookEndpointWithSecret)
  createWebhookEndpoint(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateWebhookEndpointInput,
  ): Promise<WebhookEndpointWithSecret> {
    return this.endpoints.create(principal, input);
  }

  @Mutation(() => WebhookEndpoint)
  updateWebhookEndpoint(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: UpdateWebhookEndpointInput,
  ): Promise<WebhookEndpoint> {
    return this.endpoints.update(principal, input);
  }

  @Mutation(() => WebhookEndpointWithSecret, {
    description:
      `A new signing secret, shown once. For ${SECRET_OVERLAP_HOURS} h deliveries are also signed with the ` +
      'old one (`previousSecretExpiresAt`); rotating again within them retires the current one: never more than two.',
  })
  rotateWebhookSecret(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdPipe) id: string,
  ): Promise<WebhookEndpointWithSecret> {
    return this.endpoints.rotateSecret(principal, id);
  }

  @Mutation(() => WebhookEndpoint, {
    description: 'Disables the endpoint for good; its pending deliveries fail.',
  })
  deleteWebhookEndpoint(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }, IdPipe) id: string,
  ): Promise<WebhookEndpoint> {
    return this.endpoints.delete(principal, id);
  }
}
