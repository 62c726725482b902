import { describe, expect, it } from 'vitest';
import type { SourceLabel } from '../../appliance/sfu/source-labels.js';
import { BASE_BLACK, BASE_CAMERA, BASE_SLIDES, layoutOnAir, sceneCommands, sceneSettings } from './program-layout.js';

const none = new Set<SourceLabel>();
const slides = new Set<SourceLabel>(['lectern-screen']);

describe('layout on air', () => {
  it('is the chosen layout while its source is present', () => {
    expect(layoutOnAir('side-by-side', slides)).toBe('side-by-side');
    expect(layoutOnAir('camera', none)).toBe('camera');
  });

  it('falls back to the camera while the source is missing', () => {
    expect(layoutOnAir('slides', none)).toBe('camera');
    expect(layoutOnAir('remote-speaker', slides)).toBe('camera');
  });
});

describe('scene commands', () => {
  const camera = sceneSettings({ layout: 'camera', lecternCamera: false, interpreter: true, lowerThird: false, captions: false });
  const sideBySide = sceneSettings({ layout: 'side-by-side', lecternCamera: false, interpreter: true, lowerThird: false, captions: false });

  it('describe each layout by its base picture and layers', () => {
    expect(camera).toMatchObject({ base: BASE_CAMERA, slidesHalf: false, cameraHalf: false, cameraCorner: false });
    expect(sideBySide).toMatchObject({ base: BASE_BLACK, slidesHalf: true, cameraHalf: true });
    expect(sceneSettings({ layout: 'slides-camera', lecternCamera: false, interpreter: false, lowerThird: true, captions: false })).toMatchObject({
      base: BASE_SLIDES,
      cameraCorner: true,
      lowerThird: true,
    });
  });

  it('show new layers before the base changes and hide old ones after', () => {
    expect(sceneCommands(camera, sideBySide)).toEqual([
      'overlay@slideshalf enable 1',
      'overlay@camerahalf enable 1',
      'streamselect@base map 3',
    ]);
    expect(sceneCommands(sideBySide, camera)).toEqual([
      'streamselect@base map 0',
      'overlay@slideshalf enable 0',
      'overlay@camerahalf enable 0',
    ]);
  });

  it('send nothing when the scene stays, and everything when it is unknown', () => {
    expect(sceneCommands(camera, camera)).toEqual([]);
    expect(sceneCommands(undefined, camera)).toHaveLength(9);
  });

  it('switch the small picture to the lectern camera first', () => {
    const lectern = sceneSettings({ layout: 'slides-camera', lecternCamera: true, interpreter: true, lowerThird: false, captions: false });

    expect(sceneCommands(camera, lectern)).toEqual([
      'streamselect@speaker map 1',
      'overlay@cameracorner enable 1',
      'streamselect@base map 1',
    ]);
  });

  it('toggle both lines of the lower third together', () => {
    const withTitle = { ...camera, lowerThird: true, captions: false };

    expect(sceneCommands(camera, withTitle)).toEqual([
      'drawtext@lowerthirdtitle enable 1',
      'drawtext@lowerthirdname enable 1',
    ]);
  });
});
