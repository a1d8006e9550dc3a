/** The data layer: dataset directories and CSVs to validated in-memory datasets. */
export { DataError, DATA_ERROR_CODES, type DataErrorCode } from './errors.js';
export type { Dataset, ModalityData, EncoderHint, PredictionData } from './types.js';
export { exampleCount, featureCount, rowCount } from './types.js';
export { datasetFiles, loadDataset, loadPredictionData } from './load.js';
export { validateDataset } from './validate.js';
export { selectModalities } from './select.js';
export { parseNpy, serializeNpy, NpyFormatError, type NpyArray, type NpyDtype, type NpyData } from './npy.js';
