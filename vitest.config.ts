import { defineConfig } from 'vitest/config';

// Integration and browser tests start real ffmpeg, mediasoup and Chromium
// processes; on a 2-core machine they run one file at a time.
export default defineConfig({
  test: {
    include: [
      'appliance/**/*.test.ts',
      'capture/**/*.test.ts',
      'streams/**/*.test.ts',
      'test/**/*.test.ts',
      'web-ui/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
