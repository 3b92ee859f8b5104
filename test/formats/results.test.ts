/** results.csv reads back to the rows apply wrote, cells a spreadsheet would mangle included. */
import { join } from 'node:path';
import { ResultsLog, emptyResult, readResults } from '../../lib/formats/results';
import { tempDir } from '../helpers';

test('results round-trip through the file, appended by a resumed run', async () => {
  const file = join(tempDir(), 'results.csv');
  const rows = [
    { ...emptyResult(), plan_id: 'P1', row: '1', upn: 'a@contoso.com', action: 'set-immutable-id', status: 'applied' as const, after_immutable_id: '+9kaGpXmXFWlO8l/IOLgyw==', attempts: '2', http_status: '204' },
    { ...emptyResult(), plan_id: 'P1', row: '2', upn: 'b@contoso.com', status: 'failed' as const, graph_error_message: 'Bad "thing",\nsee 2026-01-02', started_at: '2026-01-02T03:04:05Z' },
  ];
  const first = new ResultsLog(file, false);
  first.write(rows[0]);
  first.close();
  const resumed = new ResultsLog(file, true);
  resumed.write(rows[1]);
  resumed.close();
  expect(await readResults(file)).toEqual(rows);
});
