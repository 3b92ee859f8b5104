/**
 * Colour on a terminal only: none when the stream is piped or redirected, or when NO_COLOR is set
 * to anything but empty (https://no-color.org).
 */
export interface Colour {
  good(text: string): string;
  attention(text: string): string;
  bold(text: string): string;
}

const paint = (code: string) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;
const plain = (text: string) => text;

export const NO_COLOUR: Colour = { good: plain, attention: plain, bold: plain };
const ANSI: Colour = { good: paint('32'), attention: paint('33'), bold: paint('1') };

export function colourFor(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Colour {
  return (stream as NodeJS.WriteStream).isTTY === true && !env.NO_COLOR ? ANSI : NO_COLOUR;
}
