import { css } from 'lit';

/** Podium's form controls: touch targets of at least 44 px, labels above their fields. */
export const formStyles = css`
  form {
    display: grid;
    gap: 0.75rem;
  }
  label {
    display: grid;
    gap: 0.25rem;
  }
  button,
  input,
  textarea,
  select {
    font: inherit;
    min-height: 44px;
  }
  input,
  textarea,
  select {
    padding: 0 0.5rem;
  }
  button {
    min-width: 44px;
    padding: 0 1rem;
    cursor: pointer;
  }
`;
