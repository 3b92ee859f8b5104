/**
 * Writing a plan from a reconciliation, shared by 'idrecon plan' and 'idrecon reconcile --plan',
 * with the options both accept.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { IdreconError } from '../errors';
import { declare, helpOf, shapeOf } from '../options';
import { writeWhole } from '../io/csv-writer';
import { checkAgainstManifest } from '../formats/manifest';
import { readReconciliation } from '../formats/reconciliation';
import { type OktaAppUser, readOktaAppUsers } from '../formats/okta-users';
import { type Domains, readDomains } from '../formats/domains';
import { type PlanContext, propose } from './rows';
import { type Action, PlanWriter } from '../formats/plan';

export const PLAN = {
  domains: declare('string', z.string().optional(), 'domains export (idrecon export cloud --domains-out): which are federated, which is initial'),
  federatedDomains: declare('string', z.string().optional(), "federated domains, comma-separated ('none' if none), instead of --domains"),
  initialDomain: declare('string', z.string().optional(), "the tenant's initial domain (x.onmicrosoft.com), with --federated-domains"),
  clearInsteadOfSet: declare('boolean', z.boolean().default(false), 'propose clearing the ImmutableID (Entra Connect stamps it) instead of setting it'),
  okta: declare('string', z.string().optional(), "Okta export (idrecon export okta): what Okta pushes as ImmutableID; reconcile adds okta_* columns, a plan Okta's checks"),
  planId: declare(
    'string',
    z.string().regex(/^[\w.-]+$/, { error: 'expected letters, digits, dots, dashes or underscores' }).optional(),
    'id of the plan, e.g. the change ticket',
    'plan-DATE-TIME-random',
  ),
};

export const PLAN_OPTIONS = helpOf(PLAN);

export const PlanArgs = z.object(shapeOf(PLAN));
export type PlanArgs = z.infer<typeof PlanArgs>;

export function newPlanId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `plan-${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Which domains are federated and which is initial, from --domains or the options; checked before any work. */
export async function planDomains(args: PlanArgs): Promise<Domains> {
  if (args.domains && (args.federatedDomains !== undefined || args.initialDomain !== undefined)) {
    throw new IdreconError('USAGE', '--domains: expected either a domains file or --federated-domains/--initial-domain, got both');
  }
  if (args.domains) return readDomains(args.domains);
  if (args.federatedDomains === undefined) {
    throw new IdreconError(
      'USAGE',
      "a plan needs to know which domains are federated: expected --domains domains.csv (from idrecon export cloud --domains-out) or --federated-domains LIST ('none' if none)",
    );
  }
  const names = args.federatedDomains.split(',').map((d) => d.trim().toLowerCase());
  return { federated: new Set(names.filter((d) => d && d !== 'none')), initial: args.initialDomain?.toLowerCase() };
}

export interface PlanResult {
  planId: string;
  rows: number;
  actions: Record<Action, number>;
  upnFlips: number;
}

/** Writes the plan for a published reconciliation ('idrecon plan'), after checking it against its manifest. */
export async function writePlan(reconciliation: string, out: string, args: PlanArgs, now = new Date()): Promise<PlanResult> {
  await checkAgainstManifest(reconciliation);
  const writer = new PlanWriter(out, args.planId ?? newPlanId(now));
  return writeWhole(writer.file, async () => {
    const domains = await planDomains(args);
    return writePlanTo(writer, reconciliation, args, { domains, okta: args.okta ? await readOktaAppUsers(args.okta) : undefined }, reconciliation);
  });
}

/** What a plan is made with besides the reconciliation, each read once by its caller. */
export interface PlanInputs {
  domains: Domains;
  /** Okta's app users (--okta): from readOktaAppUsers, or from the Okta file reconcile already loaded. */
  okta: ReadonlyMap<string, OktaAppUser> | undefined;
}

/**
 * The rows of a plan for a reconciliation, into `writer` (left for the caller to publish); used by
 * 'plan' and 'reconcile --plan'. `named`: the reconciliation's name in messages.
 */
export async function writePlanTo(writer: PlanWriter, reconciliation: string, args: PlanArgs, inputs: PlanInputs, named: string): Promise<PlanResult> {
  const ctx: PlanContext = {
    federatedDomains: inputs.domains.federated,
    initialDomain: inputs.domains.initial,
    clearInsteadOfSet: args.clearInsteadOfSet,
    okta: inputs.okta,
  };
  const result: PlanResult = { planId: writer.planId, rows: 0, actions: { 'set-immutable-id': 0, 'clear-immutable-id': 0, review: 0 }, upnFlips: 0 };
  for await (const r of readReconciliation(reconciliation)) {
    const proposal = propose(r, ctx);
    if (!proposal) continue;
    if (proposal.upnFlip === 'yes' && !proposal.stagingUpn) {
      throw new IdreconError(
        'USAGE',
        `${proposal.currentUpn} is in a federated domain, so its UPN must be moved to the initial domain for the change: expected --initial-domain (x.onmicrosoft.com) or a --domains file that names it`,
        { file: named, line: r.line },
      );
    }
    result.rows++;
    result.actions[proposal.action]++;
    if (proposal.upnFlip === 'yes') result.upnFlips++;
    await writer.add(proposal);
  }
  return result;
}

export function planSummary(r: PlanResult, out: string): string {
  const a = r.actions;
  return (
    `plan ${r.planId}: ${r.rows} rows in ${out}\n` +
    `  set-immutable-id    ${a['set-immutable-id']}\n` +
    `  clear-immutable-id  ${a['clear-immutable-id']}\n` +
    `  review              ${a.review} (never applied)\n` +
    (r.upnFlips ? `  ${r.upnFlips} of the changes move the UPN to the initial domain and back (federated domain)\n` : '') +
    'Approve rows by writing yes in the approve column; check the file with: idrecon plan verify ' +
    `${out}\n`
  );
}

