import type { MeetingParticipant, MeetingSnapshot } from '../../appliance/meetings/meeting-protocol.js';

/** One picture of the meeting: a participant's camera (or name, while it is off) or a shared screen. */
export type MeetingTile = {
  /** Unique per tile: the peer id and the source. */
  key: string;
  peerId: string;
  name: string;
  source: 'camera' | 'screen';
  self: boolean;
  /** The producer of the tile's video, or undefined while there is none. */
  videoProducerId: string | undefined;
  /** True while the video is off or paused (the tile shows the name). */
  videoOff: boolean;
  /** True while the participant's microphone is off or muted; always false on screen tiles. */
  microphoneOff: boolean;
  handRaised: boolean;
};

/** The page's arrangement of the tiles: all the same size, or the main one large above a strip of the others. */
export type MeetingView = 'grid' | 'speaker';

/** The tiles of the speaker view: the large one and the strip of the others. */
export type SpeakerLayout = { large: MeetingTile | undefined; small: MeetingTile[] };

/** Up to this many tiles the grid's tiles are large enough to ask for the high simulcast layer. */
export const GRID_HIGH_LAYER_MAX_TILES = 4;

function producerOf(participant: MeetingParticipant, source: string) {
  return participant.producers.find((producer) => producer.source === source);
}

/**
 * Returns the tiles of the grid, one camera tile per participant in the
 * order of joinedAt (a stable sort, so equal times keep the snapshot's
 * order). A participant's shared screen is a tile of its own, right after
 * their camera.
 */
export function gridTiles(snapshot: MeetingSnapshot): MeetingTile[] {
  const participants = [...snapshot.participants].sort((a, b) => a.joinedAt.localeCompare(b.joinedAt));
  const tiles: MeetingTile[] = [];

  for (const participant of participants) {
    const self = participant.peerId === snapshot.self.peerId;
    const camera = producerOf(participant, 'camera');
    const microphone = producerOf(participant, 'microphone');
    const screen = producerOf(participant, 'screen');
    const common = { peerId: participant.peerId, name: participant.name, self, handRaised: participant.handRaised };

    tiles.push({
      ...common,
      key: `${participant.peerId}:camera`,
      source: 'camera',
      videoProducerId: camera?.producerId,
      videoOff: !camera || camera.paused,
      microphoneOff: !microphone || microphone.paused,
    });
    if (screen) {
      tiles.push({
        ...common,
        key: `${participant.peerId}:screen`,
        source: 'screen',
        videoProducerId: screen.producerId,
        videoOff: screen.paused,
        microphoneOff: false,
      });
    }
  }

  return tiles;
}

/**
 * Chooses the large tile of the speaker view. A shared screen comes first
 * (the speaker's, else the first one). Else it is the speaker's camera,
 * where speaker is the active speaker or, in silence, the last one heard.
 * Else it is the first other participant, and the page's own camera only
 * when nobody else is there.
 */
export function speakerLayout(tiles: readonly MeetingTile[], speaker: string | null): SpeakerLayout {
  const screens = tiles.filter((tile) => tile.source === 'screen');
  const cameras = tiles.filter((tile) => tile.source === 'camera');
  const large =
    screens.find((tile) => tile.peerId === speaker) ??
    screens[0] ??
    cameras.find((tile) => tile.peerId === speaker && !tile.self) ??
    cameras.find((tile) => !tile.self) ??
    cameras[0];

  return { large, small: tiles.filter((tile) => tile !== large) };
}

/**
 * Returns the simulcast layer the page requests for a tile's video: 1 (high)
 * for the large tile of the speaker view and for the tiles of a grid of at
 * most GRID_HIGH_LAYER_MAX_TILES, 0 (low) for thumbnails.
 */
export function preferredLayer(tile: MeetingTile, view: MeetingView, tiles: readonly MeetingTile[], large: MeetingTile | undefined): 0 | 1 {
  if (view === 'speaker') return tile.key === large?.key ? 1 : 0;

  return tiles.length <= GRID_HIGH_LAYER_MAX_TILES ? 1 : 0;
}

/** Lists by name who joined and who left the meeting between two snapshots, for the live region. */
export function participantChanges(
  before: MeetingSnapshot | undefined,
  after: MeetingSnapshot,
): { joined: string[]; left: string[] } {
  const previous = new Map((before?.participants ?? []).map((participant) => [participant.peerId, participant.name]));
  const current = new Map(after.participants.map((participant) => [participant.peerId, participant.name]));

  // The page's first snapshot in the meeting lists everyone already there, so it announces no joins.
  if (!before || before.self.state !== 'joined') return { joined: [], left: [] };

  return {
    joined: [...current].filter(([peerId]) => !previous.has(peerId) && peerId !== after.self.peerId).map(([, name]) => name),
    left: [...previous].filter(([peerId]) => !current.has(peerId)).map(([, name]) => name),
  };
}
