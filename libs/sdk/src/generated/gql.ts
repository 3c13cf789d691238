/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation ActAsClient($clientId: ID!) {\n  actAsClient(clientId: $clientId) {\n    accessToken\n    expiresAt\n  }\n}": typeof types.ActAsClientDocument,
    "mutation AmendCheckIn($input: AmendCheckInInput!) {\n  amendCheckIn(input: $input) {\n    id\n    checkInId\n    amendsSubmissionId\n    amendReason\n    createdAt\n    progressIssues\n  }\n}": typeof types.AmendCheckInDocument,
    "query AnsweredCheckIns($first: Int = 20, $after: String) {\n  checkIns(status: SUBMITTED, first: $first, after: $after) {\n    edges {\n      node {\n        ...CheckInFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.AnsweredCheckInsDocument,
    "fragment CheckInPromptFields on CheckInPrompt {\n  key\n  type\n  label\n  help\n  required\n  scaleMin\n  scaleMax\n  minLabel\n  maxLabel\n  maxLength\n  numberMin\n  numberMax\n  unit\n  options\n  allowMultiple\n}\n\nfragment CheckInFields on CheckIn {\n  id\n  slot\n  status\n  opensAt\n  closesAt\n  late\n  submittedAt\n  prompts {\n    ...CheckInPromptFields\n  }\n  submissions {\n    id\n    createdAt\n    amendsSubmissionId\n    amendReason\n    answers {\n      key\n      scale\n      yesNo\n      text\n      number\n      choices\n    }\n  }\n  feedback {\n    id\n    body\n    createdAt\n  }\n}": typeof types.CheckInPromptFieldsFragmentDoc,
    "query CheckIn($id: ID!) {\n  checkIn(id: $id) {\n    ...CheckInFields\n  }\n}": typeof types.CheckInDocument,
    "query MyGoals($first: Int = 20) {\n  goals(first: $first) {\n    edges {\n      node {\n        id\n        title\n        horizon\n        status\n        progress\n        targetDate\n        measures {\n          id\n          title\n          kind\n          unit\n          currentValue\n          target\n          progress\n        }\n      }\n    }\n  }\n}": typeof types.MyGoalsDocument,
    "fragment NotificationFields on Notification {\n  id\n  kind\n  title\n  body\n  checkInId\n  createdAt\n  readAt\n}\n\nsubscription NotificationAdded {\n  notificationAdded {\n    ...NotificationFields\n  }\n}": typeof types.NotificationFieldsFragmentDoc,
    "query MyNotifications($first: Int = 20) {\n  notifications(first: $first) {\n    edges {\n      node {\n        ...NotificationFields\n      }\n    }\n  }\n}": typeof types.MyNotificationsDocument,
    "query OpenCheckIns($first: Int = 20) {\n  checkIns(openNow: true, first: $first) {\n    edges {\n      node {\n        ...CheckInFields\n      }\n    }\n  }\n}": typeof types.OpenCheckInsDocument,
    "mutation SubmitCheckIn($input: SubmitCheckInInput!) {\n  submitCheckIn(input: $input) {\n    id\n    checkInId\n    late\n    createdAt\n    progressIssues\n  }\n}": typeof types.SubmitCheckInDocument,
};
const documents: Documents = {
    "mutation ActAsClient($clientId: ID!) {\n  actAsClient(clientId: $clientId) {\n    accessToken\n    expiresAt\n  }\n}": types.ActAsClientDocument,
    "mutation AmendCheckIn($input: AmendCheckInInput!) {\n  amendCheckIn(input: $input) {\n    id\n    checkInId\n    amendsSubmissionId\n    amendReason\n    createdAt\n    progressIssues\n  }\n}": types.AmendCheckInDocument,
    "query AnsweredCheckIns($first: Int = 20, $after: String) {\n  checkIns(status: SUBMITTED, first: $first, after: $after) {\n    edges {\n      node {\n        ...CheckInFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.AnsweredCheckInsDocument,
    "fragment CheckInPromptFields on CheckInPrompt {\n  key\n  type\n  label\n  help\n  required\n  scaleMin\n  scaleMax\n  minLabel\n  maxLabel\n  maxLength\n  numberMin\n  numberMax\n  unit\n  options\n  allowMultiple\n}\n\nfragment CheckInFields on CheckIn {\n  id\n  slot\n  status\n  opensAt\n  closesAt\n  late\n  submittedAt\n  prompts {\n    ...CheckInPromptFields\n  }\n  submissions {\n    id\n    createdAt\n    amendsSubmissionId\n    amendReason\n    answers {\n      key\n      scale\n      yesNo\n      text\n      number\n      choices\n    }\n  }\n  feedback {\n    id\n    body\n    createdAt\n  }\n}": types.CheckInPromptFieldsFragmentDoc,
    "query CheckIn($id: ID!) {\n  checkIn(id: $id) {\n    ...CheckInFields\n  }\n}": types.CheckInDocument,
    "query MyGoals($first: Int = 20) {\n  goals(first: $first) {\n    edges {\n      node {\n        id\n        title\n        horizon\n        status\n        progress\n        targetDate\n        measures {\n          id\n          title\n          kind\n          unit\n          currentValue\n          target\n          progress\n        }\n      }\n    }\n  }\n}": types.MyGoalsDocument,
    "fragment NotificationFields on Notification {\n  id\n  kind\n  title\n  body\n  checkInId\n  createdAt\n  readAt\n}\n\nsubscription NotificationAdded {\n  notificationAdded {\n    ...NotificationFields\n  }\n}": types.NotificationFieldsFragmentDoc,
    "query MyNotifications($first: Int = 20) {\n  notifications(first: $first) {\n    edges {\n      node {\n        ...NotificationFields\n      }\n    }\n  }\n}": types.MyNotificationsDocument,
    "query OpenCheckIns($first: Int = 20) {\n  checkIns(openNow: true, first: $first) {\n    edges {\n      node {\n        ...CheckInFields\n      }\n    }\n  }\n}": types.OpenCheckInsDocument,
    "mutation SubmitCheckIn($input: SubmitCheckInInput!) {\n  submitCheckIn(input: $input) {\n    id\n    checkInId\n    late\n    createdAt\n    progressIssues\n  }\n}": types.SubmitCheckInDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ActAsClient($clientId: ID!) {\n  actAsClient(clientId: $clientId) {\n    accessToken\n    expiresAt\n  }\n}"): typeof import('./graphql.js').ActAsClientDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AmendCheckIn($input: AmendCheckInInput!) {\n  amendCheckIn(input: $input) {\n    id\n    checkInId\n    amendsSubmissionId\n    amendReason\n    createdAt\n    progressIssues\n  }\n}"): typeof import('./graphql.js').AmendCheckInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AnsweredCheckIns($first: Int = 20, $after: String) {\n  checkIns(status: SUBMITTED, first: $first, after: $after) {\n    edges {\n      node {\n        ...CheckInFields\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): typeof import('./graphql.js').AnsweredCheckInsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment CheckInPromptFields on CheckInPrompt {\n  key\n  type\n  label\n  help\n  required\n  scaleMin\n  scaleMax\n  minLabel\n  maxLabel\n  maxLength\n  numberMin\n  numberMax\n  unit\n  options\n  allowMultiple\n}\n\nfragment CheckInFields on CheckIn {\n  id\n  slot\n  status\n  opensAt\n  closesAt\n  late\n  submittedAt\n  prompts {\n    ...CheckInPromptFields\n  }\n  submissions {\n    id\n    createdAt\n    amendsSubmissionId\n    amendReason\n    answers {\n      key\n      scale\n      yesNo\n      text\n      number\n      choices\n    }\n  }\n  feedback {\n    id\n    body\n    createdAt\n  }\n}"): typeof import('./graphql.js').CheckInPromptFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CheckIn($id: ID!) {\n  checkIn(id: $id) {\n    ...CheckInFields\n  }\n}"): typeof import('./graphql.js').CheckInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyGoals($first: Int = 20) {\n  goals(first: $first) {\n    edges {\n      node {\n        id\n        title\n        horizon\n        status\n        progress\n        targetDate\n        measures {\n          id\n          title\n          kind\n          unit\n          currentValue\n          target\n          progress\n        }\n      }\n    }\n  }\n}"): typeof import('./graphql.js').MyGoalsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment NotificationFields on Notification {\n  id\n  kind\n  title\n  body\n  checkInId\n  createdAt\n  readAt\n}\n\nsubscription NotificationAdded {\n  notificationAdded {\n    ...NotificationFields\n  }\n}"): typeof import('./graphql.js').NotificationFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyNotifications($first: Int = 20) {\n  notifications(first: $first) {\n    edges {\n      node {\n        ...NotificationFields\n      }\n    }\n  }\n}"): typeof import('./graphql.js').MyNotificationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query OpenCheckIns($first: Int = 20) {\n  checkIns(openNow: true, first: $first) {\n    edges {\n      node {\n        ...CheckInFields\n      }\n    }\n  }\n}"): typeof import('./graphql.js').OpenCheckInsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SubmitCheckIn($input: SubmitCheckInInput!) {\n  submitCheckIn(input: $input) {\n    id\n    checkInId\n    late\n    createdAt\n    progressIssues\n  }\n}"): typeof import('./graphql.js').SubmitCheckInDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
