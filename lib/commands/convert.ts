import { z } from 'zod';
import { type GuidSpelling, parseAnchor } from '../core/anchor';
import { oktaIdKind, toCsvde, toDisplay, toDisplayOrderBase64, toImmutableId, toLdapFilter } from '../core/guid';
import { IdreconError } from '../errors';
import { type Command, declare, helpOf, shapeOf } from '../options';

const USAGE = `Converts GUID source anchors between every spelling export tools use, and recognises Okta ids.

Usage:
  idrecon convert [options] <values...>

Each value may be a GUID (74aa7831-ac60-4c6c-bcf0-3c42b310baea, braces allowed), an ImmutableID
(Base64, MXiqdGCsbEy88DxCsxC66g==), csvde hex (X'3178aa74...'), an ldifde line
(objectGUID:: MXiq...) or Samba's (objectGUID: 74aa7831-...), an LDAP filter escape (\\31\\78\\aa...), or 32 bare hex digits with
--hex-order. Okta app assignment ids (0ua...) and user ids (00u...) are named, not converted.
All values are checked first: if one is not understood nothing is printed and the exit code is 2.`;

const OPTIONS = {
  hexOrder: declare('string', z.enum(['display', 'raw']).optional(), 'how to read 32 bare hex digits: display (GUID order) or raw (stored byte order)'),
  json: declare('boolean', z.boolean().default(false), 'print a JSON array instead of text'),
};

const Args = z.object({
  values: z.preprocess((v) => v ?? [], z.array(z.string()).min(1, { error: 'expected at least one value to convert' })),
  ...shapeOf(OPTIONS),
});
type Args = z.infer<typeof Args>;

export type Conversion =
  | { input: string; kind: 'guid'; spelling: GuidSpelling; guid: string; immutable_id: string; csvde: string; ldap_filter: string; display_order_base64: string }
  | { input: string; kind: 'okta-appuser-id' | 'okta-user-id' };

const OKTA_WORDS = {
  'okta-appuser-id': "an Okta app assignment id (appAssignmentId in Okta's API): Okta may stamp an id of its own as ImmutableID on users with no AD source; it is not a GUID",
  'okta-user-id': "an Okta user id: Okta's recommended expression stamps it as ImmutableID on users with no AD source; it is not a GUID",
};

export function convertValue(input: string, hexOrder: 'display' | 'raw' | undefined): Conversion {
  const okta = oktaIdKind(input.trim());
  if (okta) return { input, kind: okta };
  const parsed = parseAnchor(input, hexOrder);
  switch (parsed.kind) {
    case 'guid':
      return {
        input,
        kind: 'guid',
        spelling: parsed.spelling,
        guid: toDisplay(parsed.raw),
        immutable_id: toImmutableId(parsed.raw),
        csvde: toCsvde(parsed.raw),
        ldap_filter: toLdapFilter(parsed.raw),
        display_order_base64: toDisplayOrderBase64(parsed.raw),
      };
    case 'ambiguous-hex':
      throw new IdreconError(
        'INPUT_AMBIGUOUS_HEX',
        `'${input}' is 32 hex digits without dashes: it can be a GUID written in display order or its bytes in stored order (csvde); run again with --hex-order display or --hex-order raw`,
        { value: input },
      );
    case 'binary-export':
      throw new IdreconError('INPUT_VALUE', `'${input}' is what Export-Csv writes for a binary attribute, not a value; re-export the attribute converted to a GUID`, { value: input });
    default:
      throw new IdreconError('INPUT_VALUE', `'${input}' is not a GUID, ImmutableID, csvde hex, ldifde value, LDAP escape or Okta id`, { value: input });
  }
}

function text(c: Conversion): string {
  if (c.kind !== 'guid') return `${c.input}\n  ${OKTA_WORDS[c.kind]}\n`;
  return [
    `${c.input}  (${c.spelling})`,
    `  immutable_id          ${c.immutable_id}`,
    `  guid                  ${c.guid}`,
    `  csvde                 ${c.csvde}`,
    `  ldap_filter           ${c.ldap_filter}`,
    `  display_order_base64  ${c.display_order_base64}  (the common wrong conversion; never the ImmutableID)`,
    '',
  ].join('\n');
}

export const convert: Command<Args> = {
  name: 'convert',
  positionals: '[values...]',
  summary: 'convert GUID anchors between objectGUID, ImmutableID, csvde, ldifde and LDAP spellings',
  usage: USAGE,
  options: helpOf(OPTIONS),
  schema: Args,
  async run(args, io) {
    const results = args.values.map((v) => convertValue(v, args.hexOrder));
    io.stdout.write(args.json ? `${JSON.stringify(results, null, 2)}\n` : results.map(text).join('\n'));
    return 0;
  },
};
