/**
 * One export row to one classification record: validates the cells and derives the source
 * anchor the way Entra Connect does. Pure; the only exception is an ambiguous GUID spelling,
 * which no per-row verdict can fix and so stops the run.
 */
import { IdreconError } from '../errors';
import { type AnchorCell, type HexOrder, parseAnchor } from './anchor';
import type { AnchorAttribute, CloudRecord, Invalid, OnpremRecord } from './classify';
import { toImmutableId } from './guid';

export type SourceAnchor = 'auto' | AnchorAttribute;

/** A cell value and the header it came from, for messages. */
export interface Cell {
  column: string;
  value: string;
}

export interface RowShape {
  file: string;
  line: number;
  fieldCount: number;
  headerCount: number;
  /** Values of fields beyond the header, which must be empty. */
  extra: readonly string[];
}

export interface OnpremCells {
  upn: Cell;
  objectGuid: Cell | undefined;
  consistencyGuid: Cell | undefined;
}

export interface CloudCells {
  upn: Cell;
  objectId: Cell | undefined;
  immutableId: Cell;
  syncEnabled: Cell | undefined;
}

export interface OnpremOptions {
  sourceAnchor: SourceAnchor;
  hexOrder: HexOrder | undefined;
}

const REEXPORT_HINT =
  "re-export with the value converted, e.g. Select-Object UserPrincipalName,ObjectGUID,@{n='mS-DS-ConsistencyGuid';e={if($_.'mS-DS-ConsistencyGuid'){[guid]$_.'mS-DS-ConsistencyGuid'}}}";

function shapeProblem(shape: RowShape): Invalid | undefined {
  if (shape.fieldCount >= shape.headerCount && shape.extra.every((v) => v === '')) return undefined;
  return {
    reason: 'field-count',
    column: '',
    value: `${shape.fieldCount} fields`,
    message: `the row has ${shape.fieldCount} fields but the header has ${shape.headerCount}; a line break or delimiter inside an unquoted value usually causes this: fix the row or re-export`,
  };
}

function upnProblem(upn: Cell): Invalid | undefined {
  if (upn.value.trim() !== '') return undefined;
  return { reason: 'empty-upn', column: upn.column, value: '', message: 'the UPN is empty, so the row cannot be joined; give the user a UPN or leave the row out' };
}

function parseCell(cell: Cell | undefined, shape: RowShape, hexOrder: HexOrder | undefined): AnchorCell {
  if (!cell) return { kind: 'empty' };
  const parsed = parseAnchor(cell.value, hexOrder);
  if (parsed.kind === 'ambiguous-hex') {
    throw new IdreconError(
      'INPUT_AMBIGUOUS_HEX',
      `'${cell.value}' is 32 hex digits without dashes, which can be display order or stored byte order; run again with --hex-order display or --hex-order raw`,
      { file: shape.file, line: shape.line, column: cell.column, value: cell.value },
    );
  }
  return parsed;
}

function anchorProblem(cell: Cell, parsed: AnchorCell): Invalid | undefined {
  switch (parsed.kind) {
    case 'guid':
      return undefined;
    case 'binary-export':
      return {
        reason: 'binary-export',
        column: cell.column,
        value: cell.value,
        message: `'${cell.value}' is what Export-Csv writes for a binary or multi-valued attribute: the value is not in the file; ${REEXPORT_HINT}`,
      };
    case 'empty':
      return { reason: 'bad-anchor', column: cell.column, value: '', message: `${cell.column} is empty, so there is no source anchor` };
    default:
      return {
        reason: 'bad-anchor',
        column: cell.column,
        value: cell.value,
        message: `'${cell.value}' is not a GUID in any spelling idrecon knows (GUID, X'hex', Base64, LDAP escape); check the export`,
      };
  }
}

const immutableIdOf = (parsed: AnchorCell): string => (parsed.kind === 'guid' ? toImmutableId(parsed.raw) : '');

export function onpremRecord(cells: OnpremCells, shape: RowShape, opts: OnpremOptions): OnpremRecord {
  const upn = cells.upn.value.trim();
  const og = parseCell(cells.objectGuid, shape, opts.hexOrder);
  const cg = parseCell(cells.consistencyGuid, shape, opts.hexOrder);
  const attribute: AnchorAttribute =
    opts.sourceAnchor === 'auto' ? (cells.consistencyGuid && cg.kind !== 'empty' ? 'mS-DS-ConsistencyGuid' : 'objectGUID') : opts.sourceAnchor;
  const anchorCell = attribute === 'objectGUID' ? cells.objectGuid : cells.consistencyGuid;
  const invalid =
    shapeProblem(shape) ??
    upnProblem(cells.upn) ??
    anchorProblem(anchorCell ?? { column: attribute, value: '' }, attribute === 'objectGUID' ? og : cg);
  return {
    line: shape.line,
    upn,
    key: upn.toLowerCase(),
    objectGuid: immutableIdOf(og),
    consistencyGuid: immutableIdOf(cg),
    anchorAttribute: invalid ? undefined : attribute,
    invalid,
  };
}

export function cloudRecord(cells: CloudCells, shape: RowShape): CloudRecord {
  const upn = cells.upn.value.trim();
  const sync = cells.syncEnabled?.value.trim().toLowerCase() ?? '';
  return {
    line: shape.line,
    upn,
    key: upn.toLowerCase(),
    objectId: cells.objectId?.value.trim() ?? '',
    immutableId: cells.immutableId.value.trim(),
    syncEnabled: sync === 'true' || sync === 'false' ? sync : '',
    invalid: shapeProblem(shape) ?? upnProblem(cells.upn),
  };
}
