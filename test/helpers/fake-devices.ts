import { readFileSync } from 'node:fs';
import { FakeDeviceLayer } from '../../capture/devices/fake-device-layer.js';

/** Reads a recorded device listing from test/fixtures/devices/. */
export function deviceFixture(name: string): string {
  return readFileSync(new URL(`../fixtures/devices/${name}`, import.meta.url), 'utf8');
}

export const C920_NODE = '/dev/video10';
/** The C920's /dev/v4l/by-id link, its id on the setup screen. */
export const C920_ID = '/dev/v4l/by-id/usb-046d_HD_Pro_Webcam_C920_0000-video-index0';
export const HDMI_STICK_NODE = '/dev/video12';
/** The HDMI stick's second node, which captures no video (the uvcvideo metadata node). */
export const HDMI_METADATA_NODE = '/dev/video13';

/**
 * Returns a fake device layer with recorded listings. Its cameras are a
 * Logitech C920 with a /dev/v4l/by-id link and an MS2109 HDMI capture stick
 * with its metadata node. Its microphones are a USB microphone that records
 * only 24-bit mono at 48 kHz (card id Mini) and the built-in microphone of a
 * LifeCam HD-3000 (card id HD3000).
 */
export function fakeVenueDevices(): FakeDeviceLayer {
  const layer = new FakeDeviceLayer();

  layer.plugCamera({ node: C920_NODE, stablePath: C920_ID, listing: deviceFixture('v4l2-formats-logitech-c920.txt') });
  layer.plugCamera({ node: HDMI_STICK_NODE, listing: deviceFixture('v4l2-formats-ms2109-usb-video.txt') });
  layer.plugCamera({ node: HDMI_METADATA_NODE, listing: deviceFixture('v4l2-formats-ms2109-video1-metadata-node.txt') });
  layer.plugSoundCard({
    number: 1,
    id: 'Mini',
    name: 'RODE USB Mini',
    hwParams: deviceFixture('arecord-dump-usb-mic-s24le-mono.txt'),
  });
  layer.plugSoundCard({
    number: 2,
    id: 'HD3000',
    name: 'Microsoft LifeCam HD-3000',
    hwParams: deviceFixture('arecord-dump-webcam-mic-lifecam-hd3000.txt'),
  });

  return layer;
}
