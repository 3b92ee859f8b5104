/**
 * Walks a Graph collection page by page, following @odata.nextLink. Only the current page is in
 * memory; a page that fails transiently is asked for again by the retry step with the same link,
 * so a long walk resumes where it was instead of starting over.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import { graphFailure, relativeLink } from './client';

interface Page<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

export async function* pages<T>(client: Client, firstPath: string): AsyncGenerator<T[]> {
  let path: string | undefined = firstPath;
  while (path !== undefined) {
    let page: Page<T>;
    try {
      page = await client.api(path).get();
    } catch (err) {
      throw graphFailure(err, `GET ${path.split('?')[0]}`);
    }
    yield page.value;
    const next = page['@odata.nextLink'];
    path = next ? relativeLink(next) : undefined;
  }
}
