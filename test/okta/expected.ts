/** The Okta CSV the seeded org must give, built from the seed independently of the exporter's writer. */
import { AD_APP, AD_APP_2, O365_APP, type SeededUser } from './harness';

/** The formula guard every idrecon CSV applies (docs/reconcile.md): an ImmutableID may start with +. */
const guarded = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `"=""${v.replace(/"/g, '""""')}"""` : v);

const HEADER = 'okta_user_id,user_name,status,scope,immutable_id,entra_id,ad_external_id,ad_app_id,app_id,app_assignment_id,note';

export function expectedOktaCsv(users: SeededUser[], appLinks: boolean): string {
  const lines = users.map((u, i) => {
    const ad = [AD_APP, AD_APP_2].flatMap((app) => u.ad.filter((a) => a.appId === app));
    return [
      u.id,
      u.login,
      'PROVISIONED',
      i % 250 === 3 ? 'GROUP' : 'USER',
      u.immutableId ?? '',
      u.entraId,
      ad.map((a) => a.externalId).join(';'),
      ad.map((a) => a.appId).join(';'),
      O365_APP,
      appLinks ? u.assignmentId : '',
      ad.length > 1 ? 'in-several-ad-instances' : '',
    ]
      .map(guarded)
      .join(',');
  });
  return `\uFEFF${[HEADER, ...lines].join('\r\n')}\r\n`;
}
