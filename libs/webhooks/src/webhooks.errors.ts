import { AppError } from '#cairn/shared/graphql';

/** Every failure of the webhooks domain a caller can see. */
export const WebhookErrors = {
  endpointNotFound: () => AppError.notFound('Webhook endpoint'),
  deliveryNotFound: () => AppError.notFound('Webhook delivery'),
  staleVersion: () =>
    AppError.conflict('The webhook endpoint was changed by someone else; reload and try again'),
  badUrl: (message: string) =>
    AppError.badInput(`Invalid input: ${message}`, [{ field: 'url', messages: [message] }]),
  endpointDisabled: () =>
    AppError.conflict('The endpoint of this delivery is disabled or deleted; enable it before re-sending'),
};
