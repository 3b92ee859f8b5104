/**
 * A worker thread that finds on-prem rows' UPN partners in the cloud table, from the last row
 * down, while the main thread classifies from the first: the lookups are random reads all over
 * the cloud index, and half of them move to the second core. The tables are in shared memory.
 */
import { workerData } from 'node:worker_threads';
import { type Partners, partnersByUpn } from '../core/classify';
import { KeyIndex, type OnpremTable } from '../core/tables';

const { on, byUpn, out } = workerData as { on: OnpremTable; byUpn: KeyIndex; out: Partners };
Object.setPrototypeOf(byUpn, KeyIndex.prototype);
partnersByUpn(on, byUpn, out);
