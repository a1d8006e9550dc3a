/** The data layer: dataset directories and CSVs to validated in-memory datasets. */
export { DataError, DATA_ERROR_CODES, type DataErrorCode } from './errors.js';
export type { Dataset, ModalityData, EncoderHint } from './types.js';
export { featureCount, rowCount } from './types.js';
export { loadDataset } from './load.js';
export { validateDataset } from './validate.js';
export { selectModalities } from './select.js';
export { parseNpy, serializeNpy, NpyFormatError, type NpyArray, type NpyDtype, type NpyData } from './npy.js';
