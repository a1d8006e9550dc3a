/** Shape, indexing and construction kernels: native against cpu. */
import { nativeSkip, testCases } from '../helpers.js';
import { shapeCases } from './shape-cases.js';

testCases(shapeCases, nativeSkip());
