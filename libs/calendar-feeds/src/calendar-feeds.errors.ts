import { AppError } from '#cairn/shared/graphql';

/** Every failure of the calendar-feeds domain a GraphQL caller can see. The ICS route answers 404 instead. */
export const CalendarFeedErrors = {
  noPerson: () =>
    AppError.forbidden(
      'A calendar feed belongs to a person, and an API key is not one: use a user’s token, or actAsClient for a client',
    ),
};
