/** The module worker threads import to rebuild a model (with its controller variant, if any). */
export { loadModelAsync as loadModel } from './registry.js';
