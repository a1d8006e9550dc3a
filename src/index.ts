/** gblend's library API: everything the CLI does, without printing. */
export { compare, defaultMethods, type CompareCallbacks } from './api/compare.js';
export { train, saveTrained } from './api/train.js';
export { predict, type PredictOptions, type PredictResult } from './api/predict.js';
export { BUILTIN_DATASETS, DEFAULT_DATASET, openDataset, openPredictionData, resolveDatasetDir } from './api/datasets.js';
export { ConfigError, parseCompareConfig, parseTrainConfig, readTrainConfig } from './config/load.js';
export * from './config/schema.js';
export * as core from './core/index.js';
export { DataError, loadDataset, loadPredictionData, validateDataset, selectModalities, type Dataset, type ModalityData, type PredictionData } from './data/index.js';
export { initEngine, engineInfo, type EngineInfo, type BackendChoice } from './engine/index.js';
export { MultiHeadModel } from './models/multihead-model.js';
export { FUSED } from './models/heads.js';
export { loadModel, SavedModelError, type ModelMetadata } from './models/saved-model.js';
export type { RunEvent, EpochEvent, BlendEstimateEvent, TestEvent, StartEvent, ProgressEvent, TrainCallbacks } from './train/events.js';
export type { TrainedRun } from './train/run.js';
export { MethodError, methodByName, type Method } from './train/methods.js';
export type { Results, MethodResults } from './report/results.js';
export { formatResultsTable } from './report/table.js';
