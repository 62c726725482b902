import { describe, expect, it } from 'vitest';
import { SAMPLE_RATE, toneAmplitude, toneLevel } from './audio-samples.js';

/** Returns a sine of the amplitude whose phase jumps by a random angle every jumpMs, as after dropped or inserted samples. */
function jitteredSine(frequency: number, amplitude: number, seconds: number, jumpMs: number): Float32Array {
  const samples = new Float32Array(SAMPLE_RATE * seconds);
  const jumpEvery = (SAMPLE_RATE * jumpMs) / 1000;
  let phase = 0;

  for (let index = 0; index < samples.length; index++) {
    if (index % jumpEvery === 0) phase = Math.random() * 2 * Math.PI;
    samples[index] = amplitude * Math.sin((2 * Math.PI * frequency * index) / SAMPLE_RATE + phase);
  }

  return samples;
}

describe('toneLevel and toneAmplitude', () => {
  it('steady sine', () => {
    const sine = jitteredSine(523, 0.2, 2, 2000);

    expect(toneAmplitude(sine, 523)).toBeCloseTo(0.2, 2);
    expect(toneLevel(sine, 523)).toBeCloseTo(0.2, 2);
  });

  it('sine with phase jumps every 250 ms', () => {
    const sine = jitteredSine(523, 0.2, 4, 250);

    expect(toneAmplitude(sine, 523)).toBeLessThan(0.1);
    expect(toneLevel(sine, 523)).toBeGreaterThan(0.15);
  });

  it('sine at another frequency', () => {
    const sine = jitteredSine(1000, 0.5, 2, 250);

    expect(toneLevel(sine, 523)).toBeLessThan(0.001);
  });

  it('tone in fewer than half of the blocks', () => {
    const sine = jitteredSine(523, 0.2, 2, 2000);

    sine.fill(0, SAMPLE_RATE * 0.6);
    expect(toneLevel(sine, 523)).toBeLessThan(0.01);
  });
});
