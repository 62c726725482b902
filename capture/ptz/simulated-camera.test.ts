import { describe, expect, it } from 'vitest';
import { SCENE, viewFilter, viewOf } from './simulated-camera.js';

const HOME = { x: 640, y: 360, width: 1280, height: 720 };

describe('viewOf', () => {
  it('looks straight at the centre from home', () => {
    expect(viewOf(HOME)).toEqual({ yaw: 0, pitch: 0, h_fov: 53.1301, v_fov: 31.4173 });
  });

  it('shows the whole scene at its field of view', () => {
    const view = viewOf({ x: 0, y: 0, width: SCENE.width, height: SCENE.height });

    expect(view.h_fov).toBe(90);
    expect(view.v_fov).toBe(58.7155);
  });

  it('turns right and up to a window there', () => {
    const view = viewOf({ ...HOME, x: 1280, y: 0 });

    expect(view.yaw).toBeGreaterThan(0);
    expect(view.pitch).toBeGreaterThan(0);
  });

  it('narrows the view when zoomed in', () => {
    // Half the window: the tangent of half the field of view halves too.
    const view = viewOf({ x: 960, y: 540, width: 640, height: 360 });

    expect(Math.tan((view.h_fov * Math.PI) / 360)).toBeCloseTo(0.25, 4);
    expect(view.yaw).toBe(0);
  });
});

describe('viewFilter', () => {
  it('keeps the output size', () => {
    expect(viewFilter(HOME, { width: 1280, height: 720 })).toBe(
      'v360@ptz=input=flat:output=flat:ih_fov=90:iv_fov=58.7155:yaw=0:pitch=0:h_fov=53.1301:v_fov=31.4173:w=1280:h=720:reset_rot=1',
    );
  });
});
