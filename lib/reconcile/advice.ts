/**
 * What to do next, per status, status/reason and Entra Connect outcome, taken from
 * docs/statuses.md itself (its **Do** paragraphs and the outcome table), so report.html uses the
 * same words as the documentation, whoever edits it. Pure: the caller reads the file.
 */

export interface Advice {
  /** Keyed like summary.json's status_reason: `status` or `status/reason`; the text is Markdown. */
  todo: Map<string, string>;
  /** Keyed by entra_connect value: the "Meaning" column of the outcome table. */
  outcome: Map<string, string>;
}

const oneLine = (text: string): string => text.split('\n').map((l) => l.trim()).join(' ').trim();

export function parseAdvice(markdown: string): Advice {
  const todo = new Map<string, string>();
  const outcome = new Map<string, string>();
  let status: string | undefined;
  let reasons: string[] = [];
  let inOutcomes = false;
  for (const block of markdown.replace(/\r\n/g, '\n').split(/\n\s*\n/)) {
    const heading = /^(#{2,3}) (.+)$/.exec(block.trim());
    if (heading) {
      const title = heading[2].trim();
      if (heading[1] === '##') {
        status = /^[a-z-]+$/.test(title) ? title : undefined;
        reasons = [];
        inOutcomes = title.includes('(entra_connect)');
      } else if (status) {
        // "### okta-appuser-id and okta-user-id", "### cloud-only okta-anchored"
        reasons = title.replace(new RegExp(`^${status} `), '').split(/ and /).map((r) => r.trim());
      }
      continue;
    }
    if (inOutcomes) {
      for (const row of block.split('\n')) {
        const cells = /^\| `([a-z-]+)` \|[^|]*\| (.+) \|$/.exec(row.trim());
        if (cells) outcome.set(cells[1], cells[2]);
      }
      continue;
    }
    const todoText = /^\*\*Do\*\*(?:, in general)?: ([\s\S]+)$/.exec(block.trim());
    if (!status || !todoText) continue;
    const text = oneLine(todoText[1]);
    if (reasons.length === 0) todo.set(status, text);
    for (const reason of reasons) todo.set(`${status}/${reason}`, text);
  }
  return { todo, outcome };
}

/** The advice for a `status/reason` key: its own, else its status's general one. */
export function todoFor(advice: Advice, key: string): string | undefined {
  return advice.todo.get(key) ?? advice.todo.get(key.split('/')[0]);
}
