/** Matrix products, convolutions and pooling (with their backprop kernels): native against cpu. */
import { nativeSkip, testCases } from '../helpers.js';
import { nnCases } from './nn-cases.js';

testCases(nnCases, nativeSkip());
