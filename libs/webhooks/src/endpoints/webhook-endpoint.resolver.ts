import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal, Role, Roles } from '#cairn/shared/auth';
import { IdPipe } from '#cairn/shared/graphql';
import {
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookEndpointWithSecret,
} from './dto/webhook-endpoint.inputs.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhookEndpointService } from './webhook-endpoint.service.js';

/** Admins only; closed to API keys (no scope grants it): an endpoint receives data about every client. */
@Roles(Role.ADMIN)
@Resolver(() => WebhookEndpoint)
export class WebhookEndpointResolver {
  constructor(private readonly endpoints: WebhookEndpointService) {}

  @Query(() => [WebhookEndpoint], {
    description: 'The firm’s endpoints (deleted ones left out), oldest first.',
  })
  webhookEndpoints(): Promise<WebhookEndpoint[]> {
    return this.endpoints.list();
  }

  @Mutation(() => WebhookEndpointWithSecret)
  createWebhookEndpoint(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: CreateWebhookEndpointInput,
  ): Promise<WebhookEndpointWithSecret> {
    return this.endpoints.create(principal, input);
  }

  @Mutation(() => WebhookEndpoint)
  updateWebhookEndpoint(@Args('input') input: UpdateWebhookEndpointInput): Promise<WebhookEndpoint> {
    return this.endpoints.update(input);
  }

  @Mutation(() => WebhookEndpointWithSecret, {
    description: 'A new signing secret, shown once; the old one stops at once.',
  })
  rotateWebhookSecret(
    @Args('id', { type: () => ID }, IdPipe) id: string,
  ): Promise<WebhookEndpointWithSecret> {
    return this.endpoints.rotateSecret(id);
  }

  @Mutation(() => WebhookEndpoint, {
    description: 'Disables the endpoint for good; its pending deliveries fail.',
  })
  deleteWebhookEndpoint(@Args('id', { type: () => ID }, IdPipe) id: string): Promise<WebhookEndpoint> {
    return this.endpoints.delete(id);
  }
}
