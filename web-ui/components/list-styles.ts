import { css } from 'lit';

/** The console's item lists: one row per item with its actions on the right, divided by a line. */
export const listStyles = css`
  ul {
    list-style: none;
    padding: 0;
    margin: 0;
  }
  li {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: center;
    gap: 0.5rem;
    padding: 0.5rem 0;
    border-bottom: 1px solid #374151;
  }
  small {
    color: #d1d5db;
    font-size: 1rem;
  }
`;
