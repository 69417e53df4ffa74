/** The script-tag build: registering both tags is all it does. */
import { define } from './define.js'

define()
