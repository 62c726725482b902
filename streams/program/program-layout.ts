import type { SourceLabel } from '../../appliance/sfu/source-labels.js';
import { PROGRAM_LAYOUTS, type ProgramLayout } from '../../appliance/signaling/protocol.js';

export { PROGRAM_LAYOUTS, type ProgramLayout };

/** The compositor's video inputs, in the order of its SDP. */
export const VIDEO_INPUTS = ['venue-camera', 'lectern-screen', 'remote-speaker', 'interpreter', 'lectern-camera'] as const;

/** The compositor's audio inputs, mixed into the program sound. */
export const AUDIO_INPUTS = ['venue-mic', 'remote-speaker-mic', 'listener-on-stage'] as const;

export type VideoInput = (typeof VIDEO_INPUTS)[number];
export type AudioInput = (typeof AUDIO_INPUTS)[number];
export type ProgramInput = VideoInput | AudioInput;

/** The source each layout needs; the camera layout needs none, because the slate replaces a missing camera. */
const LAYOUT_NEEDS: Record<ProgramLayout, VideoInput | undefined> = {
  camera: undefined,
  'slides-camera': 'lectern-screen',
  slides: 'lectern-screen',
  'side-by-side': 'lectern-screen',
  'remote-speaker': 'remote-speaker',
};

export function layoutNeeds(layout: ProgramLayout): VideoInput | undefined {
  return LAYOUT_NEEDS[layout];
}

/**
 * The layout on air: the one staff chose while its source is present, the
 * camera layout while it is missing. The choice is kept, so the chosen
 * layout returns when its source does.
 */
export function layoutOnAir(chosen: ProgramLayout, present: ReadonlySet<SourceLabel>): ProgramLayout {
  const needed = LAYOUT_NEEDS[chosen];

  return needed === undefined || present.has(needed) ? chosen : 'camera';
}

/** Everything the compositor shows besides the layout. */
export type ProgramScene = {
  layout: ProgramLayout;
  /** The lectern laptop's camera, shown as the speaker's small picture while it publishes. */
  lecternCamera: boolean;
  /** The interpreter inset, shown whenever an interpreter publishes. */
  interpreter: boolean;
  lowerThird: boolean;
  /** Live captions burned into the picture. */
  captions: boolean;
};

/**
 * The named filters of the compositor's graph that a scene sets, and their
 * values: the base picture (an input of streamselect) and the enable flag of
 * each layer.
 */
export type SceneSettings = {
  base: number;
  /** The speaker's small picture: 0 the hall camera, 1 the lectern camera. */
  speaker: number;
  slidesHalf: boolean;
  cameraHalf: boolean;
  cameraCorner: boolean;
  interpreter: boolean;
  lowerThird: boolean;
  captions: boolean;
};

/** Inputs of the base streamselect: full-size camera, slides, remote speaker, and a black canvas. */
export const BASE_CAMERA = 0;
export const BASE_SLIDES = 1;
export const BASE_REMOTE = 2;
export const BASE_BLACK = 3;

const LAYOUT_SETTINGS: Record<ProgramLayout, Omit<SceneSettings, 'speaker' | 'interpreter' | 'lowerThird' | 'captions'>> = {
  camera: { base: BASE_CAMERA, slidesHalf: false, cameraHalf: false, cameraCorner: false },
  'slides-camera': { base: BASE_SLIDES, slidesHalf: false, cameraHalf: false, cameraCorner: true },
  slides: { base: BASE_SLIDES, slidesHalf: false, cameraHalf: false, cameraCorner: false },
  'side-by-side': { base: BASE_BLACK, slidesHalf: true, cameraHalf: true, cameraCorner: false },
  'remote-speaker': { base: BASE_REMOTE, slidesHalf: false, cameraHalf: false, cameraCorner: false },
};

export function sceneSettings(scene: ProgramScene): SceneSettings {
  return {
    ...LAYOUT_SETTINGS[scene.layout],
    speaker: scene.lecternCamera ? 1 : 0,
    interpreter: scene.interpreter,
    lowerThird: scene.lowerThird,
    captions: scene.captions,
  };
}

/** Filter instance names in the compositor's graph, the targets of its zmq commands. */
export const FILTER_NAMES = {
  base: 'streamselect@base',
  speaker: 'streamselect@speaker',
  slidesHalf: 'overlay@slideshalf',
  cameraHalf: 'overlay@camerahalf',
  cameraCorner: 'overlay@cameracorner',
  interpreter: 'overlay@interpreter',
  lowerThirdTitle: 'drawtext@lowerthirdtitle',
  lowerThirdName: 'drawtext@lowerthirdname',
  captions: 'drawtext@captions',
} as const;

/**
 * The zmq commands that move the compositor from one scene to another, only
 * for the filters that change. The filter takes one command per frame, so
 * the order matters: layers that appear come first, then the base picture,
 * then layers that go, which keeps the frames in between free of black gaps.
 */
export function sceneCommands(from: SceneSettings | undefined, to: SceneSettings): string[] {
  const layers = ['slidesHalf', 'cameraHalf', 'cameraCorner', 'interpreter', 'captions'] as const;
  const appear: string[] = [];
  const go: string[] = [];
  const changed = (key: keyof SceneSettings) => from === undefined || from[key] !== to[key];

  for (const layer of layers) {
    if (!changed(layer)) continue;
    (to[layer] ? appear : go).push(`${FILTER_NAMES[layer]} enable ${to[layer] ? 1 : 0}`);
  }
  if (changed('lowerThird')) {
    const list = to.lowerThird ? appear : go;

    list.push(`${FILTER_NAMES.lowerThirdTitle} enable ${to.lowerThird ? 1 : 0}`);
    list.push(`${FILTER_NAMES.lowerThirdName} enable ${to.lowerThird ? 1 : 0}`);
  }

  const base = changed('base') ? [`${FILTER_NAMES.base} map ${to.base}`] : [];
  const speaker = changed('speaker') ? [`${FILTER_NAMES.speaker} map ${to.speaker}`] : [];

  return [...speaker, ...appear, ...base, ...go];
}
