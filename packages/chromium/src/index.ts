export { launchChromium } from './launch.js'
