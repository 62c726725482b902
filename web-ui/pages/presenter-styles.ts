import { css } from 'lit';

/**
 * Styles of the pages that speakers present from (the lectern page and the
 * remote speaker's page): large toggle buttons, previews, the chosen
 * question and the error line.
 */
export const presenterStyles = css`
  main {
    margin: 0 auto;
    padding: 1rem 1.5rem;
    display: grid;
    gap: 1rem;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
  }
  button {
    min-height: 44px;
    min-width: 44px;
    padding: 0.5rem 1rem;
    font-size: 1.1rem;
  }
  button[aria-pressed='true'] {
    background: #b91c1c;
    color: #fff;
  }
  video {
    width: 100%;
    aspect-ratio: 16 / 9;
    background: #000;
    border-radius: 6px;
  }
  .question {
    border-left: 4px solid #b91c1c;
    padding: 0.5rem 1rem;
    font-size: 1.3rem;
  }
  .problem {
    color: #fff;
    background: #7f1d1d;
    padding: 0.5rem 0.75rem;
    border-radius: 6px;
  }
`;
