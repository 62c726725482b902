import type { MeetingRequestData } from '../../appliance/meetings/meeting-protocol.js';
import { RequestSocket } from '../request-socket.js';

/** The server's close code for a connection that a newer one of the same participant (another tab) replaced. */
export const CLOSE_REPLACED = 4000;
/** The server's close code for a participant who is out of the meeting: removed, denied, or it ended. */
export const CLOSE_OUT = 4001;

/**
 * The meeting page's WebSocket to /meetings/signaling. It reconnects after
 * the server or the network closed it (the server closes with 1012 after
 * its media worker failed), except after CLOSE_REPLACED and CLOSE_OUT. The
 * page joins on every "open" event.
 */
export class MeetingSignaling extends RequestSocket<MeetingRequestData> {
  constructor() {
    super('/meetings/signaling');
  }

  protected override opened(): void {
    this.dispatchEvent(new CustomEvent('open'));
  }

  protected override isFinal(code: number): boolean {
    return code === CLOSE_REPLACED || code === CLOSE_OUT;
  }
}
