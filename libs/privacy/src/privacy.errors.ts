import { AppError } from '#cairn/shared/graphql';

const bad = (field: string, message: string) => AppError.badInput(message, [{ field, messages: [message] }]);

/** Every failure of the privacy domain a GraphQL caller can see. The download route answers in HTTP statuses. */
export const PrivacyErrors = {
  // Also for another firm's people, and for coaches and admins: only a firm's clients are exported or erased.
  clientNotFound: () => AppError.notFound('Client'),
  exportNotFound: () => AppError.notFound('Data export'),
  notYourself: () => AppError.forbidden('A client may export only their own data'),
  badConfirmation: () =>
    bad('confirmation', 'Type the client’s email address in confirmation to erase them; erasing cannot be undone'),
};
