import { define, defineOnce } from './define.js'
import { FpsOrder } from './order.js'

/** Registers `<fps-order>`, `<fps-buy-button>` and `<fps-return>`; a tag defined already stays. */
export function defineOrder(): void {
  define()
  defineOnce('fps-order', FpsOrder)
}
