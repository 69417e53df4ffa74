import { css } from 'lit'

/** Styles both elements share: the spinner, the colour of errors (classes named by state). */
export const shared = css`
  [part=spinner] {
    display: inline-block;
    width: 1em;
    height: 1em;
    border: 0.15em solid;
    border-right-color: #0000;
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
    /* forced colours would fill the gap that makes it read as a spinner */
    forced-color-adjust: none;
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    [part=spinner] {
      animation-duration: 4s;
    }
  }
  .error,
  .failure,
  .rejected {
    color: var(--fps-error, #b12704);
  }
`
