/** The order page's script-tag build: the three elements, `<fps-order>` with the buyer's actions. */
import { defineOrder } from './define-order.js'

defineOrder()
