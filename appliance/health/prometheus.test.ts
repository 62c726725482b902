import { describe, expect, it } from 'vitest';
import { renderPrometheus } from './prometheus.js';
import type { SystemStatus } from './system-status.js';

const status: SystemStatus = {
  ready: false,
  failing: ['hls'],
  eventState: 'live',
  outputs: { room: 'live', hls: 'failed' },
  viewers: { webrtc: 2, hls: 1, watchPages: 3 },
  bitrates: { venueCamera: 2_500_000, venueMic: 64_000, webrtcOut: 5_100_000 },
  packetsLost: { venueIn: 0, webrtcOut: 7 },
  processRestarts: { camera: 2, 'odd"name': 1 },
  worker: { alive: true, deaths: 0, viewers: [2, 1] },
  recording: { active: true, diskLow: false, alarm: null },
  restreams: { total: 2, live: 1, failed: 1 },
  disk: { path: '/var/lib/podium', freeBytes: 1000, totalBytes: 4000 },
  load: { one: 0.5, five: 0.25, fifteen: 0.125, cpus: 2 },
};

describe('renderPrometheus', () => {
  const text = renderPrometheus(status);

  it('gives each metric HELP and TYPE', () => {
    const names = [...text.matchAll(/^# TYPE (\S+) (gauge|counter)$/gm)].map((match) => match[1]);

    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect(text).toContain(`# HELP ${name} `);
  });

  it('suffixes counters with _total', () => {
    for (const match of text.matchAll(/^# TYPE (\S+) counter$/gm)) expect(match[1]).toMatch(/_total$/);
  });

  it('labels viewers by path', () => {
    expect(text).toContain('podium_viewers{path="webrtc"} 2\n');
    expect(text).toContain('podium_viewers{path="hls"} 1\n');
  });

  it('labels worker viewers by index', () => {
    expect(text).toContain('podium_sfu_worker_webrtc_viewers{worker="0"} 2\n');
    expect(text).toContain('podium_sfu_worker_webrtc_viewers{worker="1"} 1\n');
  });

  it('marks the failed output', () => {
    expect(text).toContain('podium_output_state{output="hls",state="failed"} 1\n');
    expect(text).toContain('podium_output_state{output="hls",state="live"} 0\n');
  });

  it('escapes label values', () => {
    expect(text).toContain('podium_process_restarts_total{process="odd\\"name"} 1\n');
  });

  it('reports not ready', () => {
    expect(text).toContain('podium_up 0\n');
  });
});
