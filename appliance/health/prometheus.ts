import type { SystemStatus } from './system-status.js';

type Sample = { labels?: Record<string, string>; value: number };
type Metric = { name: string; type: 'gauge' | 'counter'; help: string; samples: Sample[] };

const OUTPUT_STATES = ['starting', 'live', 'stopping', 'stopped', 'failed'] as const;

/** Escapes a label value as the Prometheus text format requires. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatSample(name: string, sample: Sample): string {
  const labels = Object.entries(sample.labels ?? {})
    .map(([key, value]) => `${key}="${escapeLabel(value)}"`)
    .join(',');

  return `${name}${labels ? `{${labels}}` : ''} ${Number.isFinite(sample.value) ? sample.value : 0}`;
}

function metricsOf(status: SystemStatus): Metric[] {
  const outputs = status.outputs;

  return [
    { name: 'podium_up', type: 'gauge', help: '1 when /healthz reports ready, else 0.', samples: [{ value: status.ready ? 1 : 0 }] },
    {
      name: 'podium_event_live',
      type: 'gauge',
      help: '1 while the current event is live.',
      samples: [{ value: status.eventState === 'live' ? 1 : 0 }],
    },
    {
      name: 'podium_viewers',
      type: 'gauge',
      help: 'Remote listeners by path: WebRTC transports, and HLS clients active in the last 15 s.',
      samples: [
        { labels: { path: 'webrtc' }, value: status.viewers.webrtc },
        { labels: { path: 'hls' }, value: status.viewers.hls },
      ],
    },
    {
      name: 'podium_watch_pages',
      type: 'gauge',
      help: 'Open watch pages, whichever path they play.',
      samples: [{ value: status.viewers.watchPages }],
    },
    {
      name: 'podium_ingest_bitrate_bits_per_second',
      type: 'gauge',
      help: 'Bitrate the room receives from each venue source.',
      samples: [
        { labels: { source: 'venue-camera' }, value: status.bitrates.venueCamera },
        { labels: { source: 'venue-mic' }, value: status.bitrates.venueMic },
      ],
    },
    {
      name: 'podium_webrtc_egress_bitrate_bits_per_second',
      type: 'gauge',
      help: 'Bitrate the room sends to all WebRTC viewers together.',
      samples: [{ value: status.bitrates.webrtcOut }],
    },
    {
      name: 'podium_rtp_packets_lost',
      type: 'gauge',
      help: 'RTP packets lost since the current producers and consumers started (in: venue capture, out: WebRTC viewers).',
      samples: [
        { labels: { direction: 'in' }, value: status.packetsLost.venueIn },
        { labels: { direction: 'out' }, value: status.packetsLost.webrtcOut },
      ],
    },
    {
      name: 'podium_output_state',
      type: 'gauge',
      help: 'Each output of the running event: 1 for its current state.',
      samples: outputs
        ? (['room', 'hls'] as const).flatMap((output) =>
            OUTPUT_STATES.map((state) => ({ labels: { output, state }, value: outputs[output] === state ? 1 : 0 })),
          )
        : [],
    },
    {
      name: 'podium_process_restarts_total',
      type: 'counter',
      help: 'Restarts of supervised processes (ffmpeg captures, restreams) since Podium started.',
      samples: Object.entries(status.processRestarts).map(([process, value]) => ({ labels: { process }, value })),
    },
    { name: 'podium_sfu_worker_up', type: 'gauge', help: '1 while every mediasoup worker runs; 0 while a dead one is being replaced.', samples: [{ value: status.worker.alive ? 1 : 0 }] },
    {
      name: 'podium_sfu_worker_webrtc_viewers',
      type: 'gauge',
      help: 'WebRTC viewers each mediasoup worker serves; a room fills worker 0 up to sfu.viewersPerWorker first.',
      samples: status.worker.viewers.map((value, index) => ({ labels: { worker: String(index) }, value })),
    },
    {
      name: 'podium_sfu_worker_deaths_total',
      type: 'counter',
      help: 'Deaths of mediasoup workers since Podium started; each is replaced by a new worker.',
      samples: [{ value: status.worker.deaths }],
    },
    { name: 'podium_recording_active', type: 'gauge', help: '1 while a recording runs.', samples: [{ value: status.recording.active ? 1 : 0 }] },
    {
      name: 'podium_restream_targets',
      type: 'gauge',
      help: 'Restream targets of the running event by state.',
      samples: [
        { labels: { state: 'live' }, value: status.restreams.live },
        { labels: { state: 'failed' }, value: status.restreams.failed },
        { labels: { state: 'other' }, value: status.restreams.total - status.restreams.live - status.restreams.failed },
      ],
    },
    { name: 'podium_disk_free_bytes', type: 'gauge', help: 'Free bytes on the data directory\'s file system.', samples: [{ value: status.disk.freeBytes }] },
    { name: 'podium_disk_size_bytes', type: 'gauge', help: 'Size of the data directory\'s file system.', samples: [{ value: status.disk.totalBytes }] },
    {
      name: 'podium_load_average',
      type: 'gauge',
      help: 'System load average over 1, 5 and 15 minutes (see podium_cpus).',
      samples: [
        { labels: { period: '1m' }, value: status.load.one },
        { labels: { period: '5m' }, value: status.load.five },
        { labels: { period: '15m' }, value: status.load.fifteen },
      ],
    },
    { name: 'podium_cpus', type: 'gauge', help: 'CPUs available to Podium.', samples: [{ value: status.load.cpus }] },
  ];
}

/** Renders the status in the Prometheus text exposition format (version 0.0.4). */
export function renderPrometheus(status: SystemStatus): string {
  const lines: string[] = [];

  for (const metric of metricsOf(status)) {
    lines.push(`# HELP ${metric.name} ${metric.help}`, `# TYPE ${metric.name} ${metric.type}`);
    for (const sample of metric.samples) lines.push(formatSample(metric.name, sample));
  }

  return `${lines.join('\n')}\n`;
}
