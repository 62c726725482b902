import { css } from 'lit';
import { focusStyles } from '../components/focus-styles.js';

/** Styles every page shares: colours with at least 4.5:1 contrast, 44 px touch targets. */
export const pageStyles = [
  focusStyles,
  css`
  :host {
    display: block;
    min-height: 100vh;
    color: #f9fafb;
    background: #111827;
    font-family: system-ui, sans-serif;
    font-size: 1.125rem;
  }
  header {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem;
    justify-content: space-between;
    align-items: center;
    padding: 0.75rem 1.5rem;
    background: #030712;
  }
  h1 {
    font-size: 1.5rem;
    margin: 0;
  }
  button,
  input,
  textarea,
  select {
    font: inherit;
    min-height: 44px;
  }
  button {
    min-width: 44px;
    padding: 0 1rem;
    cursor: pointer;
  }
  label {
    display: grid;
    gap: 0.25rem;
  }
  .banner {
    margin: 0;
    padding: 0.5rem 1.5rem;
    background: #92400e;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`,
];
