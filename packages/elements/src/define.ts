import { FpsBuyButton } from './buy-button.js'
import { FpsReturn } from './return.js'

/** Defines a tag unless a page (or a second copy of this script) already did, rather than throw. */
export function defineOnce(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element)
}

/** Registers `<fps-buy-button>` and `<fps-return>`; a tag already defined is left alone. */
export function define(): void {
  defineOnce('fps-buy-button', FpsBuyButton)
  defineOnce('fps-return', FpsReturn)
}
