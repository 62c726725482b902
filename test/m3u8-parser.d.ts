/** The parts of m3u8-parser (no types of its own) that the tests use. */
declare module 'm3u8-parser' {
  export type VariantPlaylist = {
    uri: string;
    attributes: { BANDWIDTH?: number; CODECS?: string; RESOLUTION?: { width: number; height: number } };
  };

  export class Parser {
    push(chunk: string): void;
    end(): void;
    manifest: { playlists?: VariantPlaylist[] };
  }
}
