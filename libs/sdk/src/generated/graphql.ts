/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AmendCheckInInput = {
  answers: Array<CheckInAnswerInput>;
  checkInId: string | number;
  /** Chosen by the caller, 8 to 100 characters (e.g. a UUID), unique per submission: a retry with the same key returns the first submission instead of making a second. */
  idempotencyKey: string;
  /** Up to 500 characters, shown with the amendment. */
  reason?: string | null | undefined;
};

export type CheckInAnswerInput = {
  /** CHOICE: one option, or several when the prompt allows. */
  choices?: Array<string> | null | undefined;
  /** The prompt’s key. */
  key: string;
  /** NUMBER. */
  number?: number | null | undefined;
  /** SCALE. */
  scale?: number | null | undefined;
  /** TEXT: up to the prompt's maxLength (at most 5000). */
  text?: string | null | undefined;
  /** YES_NO. */
  yesNo?: boolean | null | undefined;
};

/** PENDING until answered (SUBMITTED), until its window passes unanswered (MISSED), or excused. */
export type CheckInStatus =
  | 'EXCUSED'
  | 'MISSED'
  | 'PENDING'
  | 'SUBMITTED';

export type GoalHorizon =
  | 'IMMEDIATE'
  | 'LONG_TERM'
  | 'MID_TERM';

export type GoalStatus =
  | 'ABANDONED'
  | 'ACHIEVED'
  | 'ACTIVE'
  | 'DRAFT'
  | 'ON_HOLD';

export type MeasureKind =
  /** Occurrences within a period; each update adds its value (a whole number ≥ 1). */
  | 'COUNT'
  /** Done or not done; record 1 when done (0 to undo). */
  | 'MILESTONE'
  /** A level between baseline and target, in a unit; each update records the current level. */
  | 'NUMERIC'
  /** A percentage 0–100 between baseline and target; each update records the current level. */
  | 'PERCENTAGE';

/** What a notification is about; more kinds will be added, so clients should tolerate unknown ones. */
export type NotificationKind =
  /** A check-in of yours opened and is waiting for your answers. */
  | 'CHECKIN_DUE'
  /** Your coach left feedback on one of your check-ins. */
  | 'CHECKIN_FEEDBACK_ADDED'
  /** A check-in closed without answers. */
  | 'CHECKIN_MISSED'
  /** A client you coach submitted a check-in. */
  | 'CHECKIN_SUBMITTED'
  /** A gentle push about what is due, slipping or worth celebrating (one per message). */
  | 'NUDGE'
  /** Your progress report on your clients is ready. */
  | 'REPORT_READY'
  /** One of your supporters sent you encouragement. */
  | 'SUPPORTER_ENCOURAGEMENT';

/** SCALE: a whole number in a range (default 1–10) with end labels; YES_NO; TEXT; NUMBER (may record progress on a goal measure); CHOICE: one or several of a list of options. */
export type PromptType =
  | 'CHOICE'
  | 'NUMBER'
  | 'SCALE'
  | 'TEXT'
  | 'YES_NO';

export type SubmitCheckInInput = {
  answers: Array<CheckInAnswerInput>;
  checkInId: string | number;
  /** Chosen by the caller, 8 to 100 characters (e.g. a UUID), unique per submission: a retry with the same key returns the first submission instead of making a second. */
  idempotencyKey: string;
};

export type ActAsClientMutationVariables = Exact<{
  clientId: string | number;
}>;


export type ActAsClientMutation = { actAsClient: { accessToken: string, expiresAt: string } };

export type AmendCheckInMutationVariables = Exact<{
  input: AmendCheckInInput;
}>;


export type AmendCheckInMutation = { amendCheckIn: { id: string, checkInId: string, amendsSubmissionId: string | null, amendReason: string | null, createdAt: string, progressIssues: Array<string> } };

export type AnsweredCheckInsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AnsweredCheckInsQuery = { checkIns: { edges: Array<{ node: { id: string, slot: string, status: CheckInStatus, opensAt: string, closesAt: string, late: boolean, submittedAt: string | null, prompts: Array<{ key: string, type: PromptType, label: string, help: string | null, required: boolean, scaleMin: number | null, scaleMax: number | null, minLabel: string | null, maxLabel: string | null, maxLength: number | null, numberMin: number | null, numberMax: number | null, unit: string | null, options: Array<string> | null, allowMultiple: boolean }>, submissions: Array<{ id: string, createdAt: string, amendsSubmissionId: string | null, amendReason: string | null, answers: Array<{ key: string, scale: number | null, yesNo: boolean | null, text: string | null, number: number | null, choices: Array<string> | null }> }>, feedback: Array<{ id: string, body: string, createdAt: string }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type CheckInPromptFieldsFragment = { key: string, type: PromptType, label: string, help: string | null, required: boolean, scaleMin: number | null, scaleMax: number | null, minLabel: string | null, maxLabel: string | null, maxLength: number | null, numberMin: number | null, numberMax: number | null, unit: string | null, options: Array<string> | null, allowMultiple: boolean };

export type CheckInFieldsFragment = { id: string, slot: string, status: CheckInStatus, opensAt: string, closesAt: string, late: boolean, submittedAt: string | null, prompts: Array<{ key: string, type: PromptType, label: string, help: string | null, required: boolean, scaleMin: number | null, scaleMax: number | null, minLabel: string | null, maxLabel: string | null, maxLength: number | null, numberMin: number | null, numberMax: number | null, unit: string | null, options: Array<string> | null, allowMultiple: boolean }>, submissions: Array<{ id: string, createdAt: string, amendsSubmissionId: string | null, amendReason: string | null, answers: Array<{ key: string, scale: number | null, yesNo: boolean | null, text: string | null, number: number | null, choices: Array<string> | null }> }>, feedback: Array<{ id: string, body: string, createdAt: string }> };

export type CheckInQueryVariables = Exact<{
  id: string | number;
}>;


export type CheckInQuery = { checkIn: { id: string, slot: string, status: CheckInStatus, opensAt: string, closesAt: string, late: boolean, submittedAt: string | null, prompts: Array<{ key: string, type: PromptType, label: string, help: string | null, required: boolean, scaleMin: number | null, scaleMax: number | null, minLabel: string | null, maxLabel: string | null, maxLength: number | null, numberMin: number | null, numberMax: number | null, unit: string | null, options: Array<string> | null, allowMultiple: boolean }>, submissions: Array<{ id: string, createdAt: string, amendsSubmissionId: string | null, amendReason: string | null, answers: Array<{ key: string, scale: number | null, yesNo: boolean | null, text: string | null, number: number | null, choices: Array<string> | null }> }>, feedback: Array<{ id: string, body: string, createdAt: string }> } };

export type MyGoalsQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type MyGoalsQuery = { goals: { edges: Array<{ node: { id: string, title: string, horizon: GoalHorizon, status: GoalStatus, progress: number | null, targetDate: string | null, measures: Array<{ id: string, title: string, kind: MeasureKind, unit: string | null, currentValue: number | null, target: number | null, progress: number }> } }> } };

export type NotificationFieldsFragment = { id: string, kind: NotificationKind, title: string, body: string | null, checkInId: string | null, createdAt: string, readAt: string | null };

export type NotificationAddedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type NotificationAddedSubscription = { notificationAdded: { id: string, kind: NotificationKind, title: string, body: string | null, checkInId: string | null, createdAt: string, readAt: string | null } };

export type MyNotificationsQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type MyNotificationsQuery = { notifications: { edges: Array<{ node: { id: string, kind: NotificationKind, title: string, body: string | null, checkInId: string | null, createdAt: string, readAt: string | null } }> } };

export type OpenCheckInsQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type OpenCheckInsQuery = { checkIns: { edges: Array<{ node: { id: string, slot: string, status: CheckInStatus, opensAt: string, closesAt: string, late: boolean, submittedAt: string | null, prompts: Array<{ key: string, type: PromptType, label: string, help: string | null, required: boolean, scaleMin: number | null, scaleMax: number | null, minLabel: string | null, maxLabel: string | null, maxLength: number | null, numberMin: number | null, numberMax: number | null, unit: string | null, options: Array<string> | null, allowMultiple: boolean }>, submissions: Array<{ id: string, createdAt: string, amendsSubmissionId: string | null, amendReason: string | null, answers: Array<{ key: string, scale: number | null, yesNo: boolean | null, text: string | null, number: number | null, choices: Array<string> | null }> }>, feedback: Array<{ id: string, body: string, createdAt: string }> } }> } };

export type SubmitCheckInMutationVariables = Exact<{
  input: SubmitCheckInInput;
}>;


export type SubmitCheckInMutation = { submitCheckIn: { id: string, checkInId: string, late: boolean, createdAt: string, progressIssues: Array<string> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const CheckInPromptFieldsFragmentDoc = new TypedDocumentString(`
    fragment CheckInPromptFields on CheckInPrompt {
  key
  type
  label
  help
  required
  scaleMin
  scaleMax
  minLabel
  maxLabel
  maxLength
  numberMin
  numberMax
  unit
  options
  allowMultiple
}
    `, {"fragmentName":"CheckInPromptFields"}) as unknown as TypedDocumentString<CheckInPromptFieldsFragment, unknown>;
export const CheckInFieldsFragmentDoc = new TypedDocumentString(`
    fragment CheckInFields on CheckIn {
  id
  slot
  status
  opensAt
  closesAt
  late
  submittedAt
  prompts {
    ...CheckInPromptFields
  }
  submissions {
    id
    createdAt
    amendsSubmissionId
    amendReason
    answers {
      key
      scale
      yesNo
      text
      number
      choices
    }
  }
  feedback {
    id
    body
    createdAt
  }
}
    fragment CheckInPromptFields on CheckInPrompt {
  key
  type
  label
  help
  required
  scaleMin
  scaleMax
  minLabel
  maxLabel
  maxLength
  numberMin
  numberMax
  unit
  options
  allowMultiple
}`, {"fragmentName":"CheckInFields"}) as unknown as TypedDocumentString<CheckInFieldsFragment, unknown>;
export const NotificationFieldsFragmentDoc = new TypedDocumentString(`
    fragment NotificationFields on Notification {
  id
  kind
  title
  body
  checkInId
  createdAt
  readAt
}
    `, {"fragmentName":"NotificationFields"}) as unknown as TypedDocumentString<NotificationFieldsFragment, unknown>;
export const ActAsClientDocument = new TypedDocumentString(`
    mutation ActAsClient($clientId: ID!) {
  actAsClient(clientId: $clientId) {
    accessToken
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<ActAsClientMutation, ActAsClientMutationVariables>;
export const AmendCheckInDocument = new TypedDocumentString(`
    mutation AmendCheckIn($input: AmendCheckInInput!) {
  amendCheckIn(input: $input) {
    id
    checkInId
    amendsSubmissionId
    amendReason
    createdAt
    progressIssues
  }
}
    `) as unknown as TypedDocumentString<AmendCheckInMutation, AmendCheckInMutationVariables>;
export const AnsweredCheckInsDocument = new TypedDocumentString(`
    query AnsweredCheckIns($first: Int = 20, $after: String) {
  checkIns(status: SUBMITTED, first: $first, after: $after) {
    edges {
      node {
        ...CheckInFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment CheckInPromptFields on CheckInPrompt {
  key
  type
  label
  help
  required
  scaleMin
  scaleMax
  minLabel
  maxLabel
  maxLength
  numberMin
  numberMax
  unit
  options
  allowMultiple
}
fragment CheckInFields on CheckIn {
  id
  slot
  status
  opensAt
  closesAt
  late
  submittedAt
  prompts {
    ...CheckInPromptFields
  }
  submissions {
    id
    createdAt
    amendsSubmissionId
    amendReason
    answers {
      key
      scale
      yesNo
      text
      number
      choices
    }
  }
  feedback {
    id
    body
    createdAt
  }
}`) as unknown as TypedDocumentString<AnsweredCheckInsQuery, AnsweredCheckInsQueryVariables>;
export const CheckInDocument = new TypedDocumentString(`
    query CheckIn($id: ID!) {
  checkIn(id: $id) {
    ...CheckInFields
  }
}
    fragment CheckInPromptFields on CheckInPrompt {
  key
  type
  label
  help
  required
  scaleMin
  scaleMax
  minLabel
  maxLabel
  maxLength
  numberMin
  numberMax
  unit
  options
  allowMultiple
}
fragment CheckInFields on CheckIn {
  id
  slot
  status
  opensAt
  closesAt
  late
  submittedAt
  prompts {
    ...CheckInPromptFields
  }
  submissions {
    id
    createdAt
    amendsSubmissionId
    amendReason
    answers {
      key
      scale
      yesNo
      text
      number
      choices
    }
  }
  feedback {
    id
    body
    createdAt
  }
}`) as unknown as TypedDocumentString<CheckInQuery, CheckInQueryVariables>;
export const MyGoalsDocument = new TypedDocumentString(`
    query MyGoals($first: Int = 20) {
  goals(first: $first) {
    edges {
      node {
        id
        title
        horizon
        status
        progress
        targetDate
        measures {
          id
          title
          kind
          unit
          currentValue
          target
          progress
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MyGoalsQuery, MyGoalsQueryVariables>;
export const NotificationAddedDocument = new TypedDocumentString(`
    subscription NotificationAdded {
  notificationAdded {
    ...NotificationFields
  }
}
    fragment NotificationFields on Notification {
  id
  kind
  title
  body
  checkInId
  createdAt
  readAt
}`) as unknown as TypedDocumentString<NotificationAddedSubscription, NotificationAddedSubscriptionVariables>;
export const MyNotificationsDocument = new TypedDocumentString(`
    query MyNotifications($first: Int = 20) {
  notifications(first: $first) {
    edges {
      node {
        ...NotificationFields
      }
    }
  }
}
    fragment NotificationFields on Notification {
  id
  kind
  title
  body
  checkInId
  createdAt
  readAt
}`) as unknown as TypedDocumentString<MyNotificationsQuery, MyNotificationsQueryVariables>;
export const OpenCheckInsDocument = new TypedDocumentString(`
    query OpenCheckIns($first: Int = 20) {
  checkIns(openNow: true, first: $first) {
    edges {
      node {
        ...CheckInFields
      }
    }
  }
}
    fragment CheckInPromptFields on CheckInPrompt {
  key
  type
  label
  help
  required
  scaleMin
  scaleMax
  minLabel
  maxLabel
  maxLength
  numberMin
  numberMax
  unit
  options
  allowMultiple
}
fragment CheckInFields on CheckIn {
  id
  slot
  status
  opensAt
  closesAt
  late
  submittedAt
  prompts {
    ...CheckInPromptFields
  }
  submissions {
    id
    createdAt
    amendsSubmissionId
    amendReason
    answers {
      key
      scale
      yesNo
      text
      number
      choices
    }
  }
  feedback {
    id
    body
    createdAt
  }
}`) as unknown as TypedDocumentString<OpenCheckInsQuery, OpenCheckInsQueryVariables>;
export const SubmitCheckInDocument = new TypedDocumentString(`
    mutation SubmitCheckIn($input: SubmitCheckInInput!) {
  submitCheckIn(input: $input) {
    id
    checkInId
    late
    createdAt
    progressIssues
  }
}
    `) as unknown as TypedDocumentString<SubmitCheckInMutation, SubmitCheckInMutationVariables>;