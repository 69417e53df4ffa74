/**
 * React 19 JSX typings for `<fps-buy-button>`, `<fps-return>` and `<fps-order>`; opt in with
 * `import type {} from '@fps-checkout/elements/react'`.
 *
 * Hand-written as a declaration file on purpose: in a .d.ts, augmenting 'react' is valid whether
 * or not React's types are installed, so this file typechecks without React. The two empty
 * interfaces below stand alone then, and merge into React's own when React is there, so that
 * className, ref (typed to the element), key and onClick work as on any tag.
 */
import type { FpsBuyButton, FpsEventMap, FpsOrder, FpsReturn } from './index.js'

/** React 19 listens for `on` + the event name on custom elements: `onfps-checkout`. */
type FpsHandlers = { [K in keyof FpsEventMap as `on${K}`]?: (event: FpsEventMap[K]) => void }

declare module 'react' {
  interface HTMLAttributes<T> {}
  interface ClassAttributes<T> {}

  namespace JSX {
    interface IntrinsicElements {
      'fps-buy-button': Partial<
        Pick<
          FpsBuyButton,
          | 'amount'
          | 'currency'
          | 'reason'
          | 'logo'
          | 'item'
          | 'every'
          | 'label'
          | 'disabled'
          | 'mode'
          | 'signer'
          | 'strings'
        >
      > &
        FpsHandlers &
        HTMLAttributes<FpsBuyButton> &
        ClassAttributes<FpsBuyButton>
      'fps-return': Partial<Pick<FpsReturn, 'signer' | 'strings'>> &
        FpsHandlers &
        HTMLAttributes<FpsReturn> &
        ClassAttributes<FpsReturn>
      'fps-order': Partial<Pick<FpsOrder, 'signer' | 'strings'>> &
        FpsHandlers &
        HTMLAttributes<FpsOrder> &
        ClassAttributes<FpsOrder>
    }
  }
}
