import { css } from 'lit'
import { shared } from './styles.js'

/** The outcome panel: a headline coloured by outcome above a short list of details. */
export const styles = [
  shared,
  css`
    :host {
      display: block;
    }
    p {
      font-size: 1.25em;
      font-weight: 600;
    }
    .success {
      color: var(--fps-success, #067d62);
    }
  `,
]
