/** The text encodings idrecon reads; 'auto' is a byte order mark, else UTF-8. */
export const ENCODINGS = ['auto', 'utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export type Encoding = (typeof ENCODINGS)[number];
