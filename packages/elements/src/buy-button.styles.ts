import { css } from 'lit'
import { shared } from './styles.js'

/** The button's look: Amazon yellow by default, each colour a `--fps-*` custom property. */
export const styles = [
  shared,
  css`
    :host {
      display: inline-block;
    }
    button {
      display: inline-flex;
      align-items: center;
      gap: 0.5em;
      padding: 0.75em 1.25em;
      font: inherit;
      font-weight: 600;
      color: var(--fps-color, #0f1111);
      background: var(--fps-bg, #ffd814);
      border: 1px solid #fcd200;
      border-radius: var(--fps-radius, 8px);
    }
    button:disabled {
      opacity: 0.5;
    }
    [part=message] {
      display: block;
      font-size: 0.875em;
    }
  `,
]
