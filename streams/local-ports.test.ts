import { describe, expect, it } from 'vitest';
import { avoidPortRange, findFreeRtpPortPair, findFreeTcpPort } from './local-ports.js';

describe('free local ports', () => {
  it('stay out of an avoided range', async () => {
    // Linux hands out ports from 32768 to 60999: avoid the lower half of that.
    avoidPortRange(32768, 46000);

    for (let round = 0; round < 10; round++) {
      const pair = await findFreeRtpPortPair();

      expect(pair.rtpPort % 2).toBe(0);
      expect(pair.rtpPort > 46000 || pair.rtcpPort < 32768).toBe(true);
      expect(await findFreeTcpPort()).not.toBeLessThanOrEqual(46000);
    }
  });
});
