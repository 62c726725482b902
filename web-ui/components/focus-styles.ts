import { css } from 'lit';

/**
 * The visible keyboard focus every Podium element shows: a 3 px yellow
 * outline, at least 3:1 against the dark background. For readers who ask for
 * less motion (prefers-reduced-motion), transitions and animations end at once.
 */
export const focusStyles = css`
  :focus-visible {
    outline: 3px solid #facc15;
    outline-offset: 2px;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    ::before,
    ::after {
      animation-duration: 0s !important;
      animation-iteration-count: 1 !important;
      transition-duration: 0s !important;
      scroll-behavior: auto !important;
    }
  }
`;
