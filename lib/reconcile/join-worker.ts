/**
 * A worker thread that finds each on-prem row's UPN partner in the cloud table while the main
 * thread classifies and writes: the lookups are random reads all over the cloud index, so doing
 * them on the second core takes them off the path of the run. The tables are in shared memory.
 */
import { workerData } from 'node:worker_threads';
import { type Partners, partnersByUpn } from '../core/classify';
import { KeyIndex, type CloudTable, type OnpremTable } from '../core/tables';

const { on, cl, byUpn, out } = workerData as { on: OnpremTable; cl: CloudTable; byUpn: KeyIndex; out: Partners };
Object.setPrototypeOf(byUpn, KeyIndex.prototype);
partnersByUpn(on, cl, byUpn, out);
