import { html, css, nothing, type PropertyValues } from 'lit';
import { t } from '../i18n/i18n.js';
import type { MeetingTile } from '../meeting/meeting-layout.js';
import { LocalizedElement } from './localized-element.js';

/**
 * One picture of the meeting: a participant's camera or shared screen with
 * the name, the microphone state and a raised hand. The video element is
 * always muted because the page plays the sound apart from the pictures.
 */
export class PodiumMeetingTile extends LocalizedElement {
  static override properties = {
    /** The participant and source the tile shows. */
    tile: { attribute: false },
    /** The video to play, or undefined while none arrived (the name shows instead). */
    track: { attribute: false },
    /** True while this participant is the active speaker. */
    active: { type: Boolean, reflect: true },
    /** True for the large tile of the speaker view. */
    large: { type: Boolean, reflect: true },
  };

  tile: MeetingTile | undefined;
  track: MediaStreamTrack | undefined;
  active = false;
  large = false;

  static override styles = css`
    :host {
      display: block;
      min-width: 0;
    }
    figure {
      position: relative;
      margin: 0;
      aspect-ratio: 16 / 9;
      background: #030712;
      border: 4px solid #374151;
      border-radius: 10px;
      overflow: hidden;
    }
    :host([active]) figure {
      border-color: #facc15;
    }
    video {
      width: 100%;
      height: 100%;
      object-fit: contain;
    }
    video.self {
      transform: scaleX(-1);
    }
    .initial {
      position: absolute;
      inset: 0;
      display: grid;
      place-items: center;
      font-size: 2.5rem;
      font-weight: 700;
      color: #d1d5db;
    }
    figcaption {
      position: absolute;
      left: 0.5rem;
      bottom: 0.5rem;
      max-width: calc(100% - 1rem);
      padding: 0.125rem 0.5rem;
      border-radius: 6px;
      background: rgb(3 7 18 / 85%);
      color: #f9fafb;
      font-size: 1rem;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }
  `;

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('track')) return;

    const video = this.renderRoot.querySelector('video');

    if (!video) return;
    video.srcObject = this.track ? new MediaStream([this.track]) : null;
    void video.play().catch(() => undefined);
  }

  #caption(tile: MeetingTile): string {
    const name = tile.self ? t('meeting.you', { name: tile.name }) : tile.name;

    return tile.source === 'screen' ? t('meeting.screenOf', { name }) : name;
  }

  override render() {
    const tile = this.tile;

    if (!tile) return nothing;

    const caption = this.#caption(tile);
    const showVideo = !tile.videoOff && this.track !== undefined;

    return html`<figure
      data-testid="meeting-tile"
      data-peer-id=${tile.peerId}
      data-source=${tile.source}
      data-self=${tile.self ? 'true' : 'false'}
      data-active=${this.active ? 'true' : 'false'}
      data-has-video=${showVideo ? 'true' : 'false'}
    >
      <video ?hidden=${!showVideo} class=${tile.self && tile.source === 'camera' ? 'self' : ''} muted autoplay playsinline aria-hidden="true"></video>
      ${showVideo ? nothing : html`<span class="initial" aria-hidden="true">${tile.name.trim().charAt(0).toUpperCase()}</span>`}
      <figcaption>
        ${tile.handRaised ? html`<span role="img" aria-label=${t('meeting.handRaised')}>✋</span>` : nothing}
        ${tile.source === 'camera' && tile.microphoneOff ? html`<span role="img" aria-label=${t('meeting.microphoneMuted')}>🔇</span>` : nothing}
        ${caption}${this.active ? html`<span class="visually-hidden">, ${t('meeting.speaking')}</span>` : nothing}
      </figcaption>
    </figure>`;
  }
}

customElements.define('podium-meeting-tile', PodiumMeetingTile);
