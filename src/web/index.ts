/**
 * gblend/web: a saved gblend model in a browser (or in Node): `loadModel(url)`, then `predict(inputs)`
 * on raw inputs for any subset of the modalities. Imports nothing from Node.
 */
export { initBackend, type BackendOptions, type WebBackend } from './backend.js';
export { loadModel, WebModel, type WebPrediction, type ModelInputs } from './web-model.js';
export { SavedModelError, type ModelMetadata } from '../models/model-metadata.js';
export { UserError } from '../core/user-error.js';
export { AVDIGITS_AUDIO_FEATURES, recordingFeatures, clipFeatures, type SpokenDigitFeatures } from '../features/spoken-digit.js';
export { parseWav, WavError } from '../features/wav.js';
export { inkToDigit, inkToMnist } from '../features/handwritten-digit.js';
