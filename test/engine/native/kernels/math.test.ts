/** Elementwise, reduction, softmax, cast and selection kernels: native against cpu. */
import { mathCases } from './math-cases.js';
import { nativeSkip, testCases } from '../helpers.js';

testCases(mathCases, nativeSkip());
