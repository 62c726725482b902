import { css } from 'lit';

/** The visible keyboard focus every Podium element shows: a 3 px yellow outline, at least 3:1 against the dark background. */
export const focusStyles = css`
  :focus-visible {
    outline: 3px solid #facc15;
    outline-offset: 2px;
  }
`;
