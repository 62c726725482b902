/** One line of a device listing with its 1-based line number. */
export type ListingLine = { number: number; text: string };

/**
 * The error that the device listing parsers throw for a line that looks like
 * a listing entry but cannot be read. The parsers skip lines that belong to
 * no entry, so only a malformed entry raises it.
 */
export class DeviceListingError extends Error {
  /** The 1-based number of the rejected line in the parsed text. */
  readonly lineNumber: number;
  /** The rejected line as it appears in the text. */
  readonly line: string;

  constructor(listing: string, line: ListingLine, problem: string) {
    super(`Invalid ${listing} line ${line.number}: ${problem}: "${line.text.trim()}"`);
    this.name = 'DeviceListingError';
    this.lineNumber = line.number;
    this.line = line.text;
  }
}

/** Splits text into numbered lines, accepting LF and CRLF line endings. */
export function numberedLines(text: string): ListingLine[] {
  return text.split(/\r?\n/).map((line, index) => ({ number: index + 1, text: line }));
}
