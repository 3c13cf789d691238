import { AppError } from '#cairn/shared/graphql';

/** Every failure of the notifications domain a caller can see. */
export const NotificationErrors = {
  notFound: () => AppError.notFound('Notification'),
  noPerson: () =>
    AppError.forbidden(
      'Notifications belong to a person, and an API key is not one: use a user’s token, or actAsClient for a client',
    ),
};
