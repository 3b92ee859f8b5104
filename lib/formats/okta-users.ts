/**
 * The Okta users file that `export okta` writes and `plan --okta` and `reconcile --okta` read: one row
 * per user of each Office 365 app instance. docs/export.md#okta explains every column.
 */
import { foldUpn } from '../core/upn';
import type { ColumnSpec } from '../io/columns';
import { readTrimmedTable } from '../io/table';

export const OKTA_CSV_COLUMNS = [
  /** The Okta user id (00u...): the `id` of GET /api/v1/apps/{appId}/users. */
  'okta_user_id',
  /** credentials.userName of the Office 365 app user: the UPN Okta provisions in Entra ID. */
  'user_name',
  'status',
  /** USER (assigned directly) or GROUP. */
  'scope',
  /** profile.immutableId: the value Okta pushes to Entra ID as ImmutableID. */
  'immutable_id',
  /** The Office 365 app user's externalId: the user's object id in Entra ID. */
  'entra_id',
  /** externalId of the user in the AD app (Base64 of the objectGUID); `;`-separated when in several. */
  'ad_external_id',
  /** The AD app instance(s) the user is in, in the order of ad_external_id. */
  'ad_app_id',
  /** The Office 365 app instance (0oa...). */
  'app_id',
  /** The app assignment id (0ua...) from GET /api/v1/users/{id}/appLinks, with --app-links. */
  'app_assignment_id',
  /** in-several-ad-instances: Okta cannot say which AD account is the user's. */
  'note',
] as const;

export type OktaCsvColumn = (typeof OKTA_CSV_COLUMNS)[number];

export const SEVERAL_AD_INSTANCES = 'in-several-ad-instances';

const OKTA_EXPECTED = 'an Okta export (idrecon export okta), or a hand-made one with user name and profile.immutableId columns';

export type OktaInputField = 'userId' | 'userName' | 'immutableId';

/**
 * What plan and reconcile read of an Okta file: these columns, or the names a hand-made export of
 * GET /api/v1/apps/{appId}/users uses. There `id` is the Okta user id (00u...) and `externalId`
 * the user's id in Entra ID, not an anchor: what Okta pushes as ImmutableID is profile.immutableId.
 */
export const OKTA_INPUT_COLUMNS: ColumnSpec<OktaInputField>[] = [
  { field: 'userId', label: 'Okta user id', aliases: ['okta_user_id', 'id', 'userId'], required: false, expected: OKTA_EXPECTED },
  { field: 'userName', label: 'user name', aliases: ['user_name', 'userName', 'credentials.userName', 'login'], required: true, expected: OKTA_EXPECTED },
  { field: 'immutableId', label: 'profile.immutableId', aliases: ['immutable_id', 'profile.immutableId', 'immutableId'], required: false, expected: OKTA_EXPECTED },
];

/** A user of Okta's Office 365 app(s), from the Okta export. */
export interface OktaAppUser {
  /** The Okta user id (00u...), when the file has it. */
  userId: string;
  /** The distinct non-empty profile.immutableId values Okta pushes for the user (one per app instance at most). */
  immutableIds: string[];
  /** Whether the file has a profile.immutableId column at all. */
  knowsImmutableId: boolean;
}

/** Okta app users by user name (the UPN Okta provisions), folded as UPNs are compared, one entry for all the app instances they are in. */
export async function readOktaAppUsers(file: string): Promise<Map<string, OktaAppUser>> {
  const users = new Map<string, OktaAppUser>();
  for await (const { cell, columns } of readTrimmedTable(file, OKTA_INPUT_COLUMNS)) {
    addAppUser(users, foldUpn(cell('userName')), cell('userId'), cell('immutableId'), columns.immutableId !== undefined);
  }
  return users;
}

/** One row of the Okta file into `users`, by its folded user name: the first row of a name gives the user id, every row its pushed ImmutableID. */
export function addAppUser(users: Map<string, OktaAppUser>, key: string, userId: string, pushed: string, knowsImmutableId: boolean): void {
  const user = users.get(key) ?? users.set(key, { userId, immutableIds: [], knowsImmutableId }).get(key)!;
  if (pushed && !user.immutableIds.includes(pushed)) user.immutableIds.push(pushed);
}
