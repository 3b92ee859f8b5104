/** The time left on a progress line, as an admin reads it during a long apply. */
import { timeLeft } from '../lib/io/progress';

test.each([
  [0, 100, 0, 'time left not known yet'],
  [0, 100, 5_000, 'time left not known yet'],
  [18, 22, 10_000, 'about 3 s left'],
  [50, 100, 59_000, 'about 59 s left'],
  [50, 100, 60_000, 'about 1 min left'],
  [1_000, 50_000, 60_000, 'about 49 min left'],
  [1_000, 200_000, 37_700, 'about 2 h 5 min left'],
  [22, 22, 10_000, 'done'],
])('%i of %i after %i ms: %s', (done, total, elapsed, words) => {
  expect(timeLeft(done, total, elapsed)).toBe(words);
});
