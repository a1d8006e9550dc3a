/**
 * Codes shared with the addon (native/src/codes.h and common.h): keep both in step.
 * The op-level equivalence tests exercise every code, so a mismatch fails there.
 */
import type { DataType } from '@tensorflow/tfjs-core';

/** The addon's protocol version (kProtocol in codes.h): an addon built from other sources is refused. */
export const PROTOCOL = 5;

export const DTYPE_CODE = { float32: 0, int32: 1, bool: 2 } as const;
export const DTYPE_OF_CODE: readonly DataType[] = ['float32', 'int32', 'bool'];

export const enum Unary {
  Neg, Exp, Log, Sqrt, Square, Abs, Relu, Floor, Ceil, Round, Sign, Reciprocal, Rsqrt,
  Sigmoid, Tanh, Softplus, Log1p, Expm1, Relu6, Elu, LogicalNot, IsNan, Sin, Cos,
  ZerosLike, OnesLike, Erf, Selu,
  Step, LeakyRelu, Clip,
}

export const enum Binary {
  Add, Sub, Mul, RealDiv, FloorDiv, Maximum, Minimum, Pow, SquaredDifference, Mod,
  Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual, LogicalAnd, LogicalOr,
  Prelu, EluGrad, Atan2,
}

export const enum Reduce { Sum, Max, Min, Mean, Prod, All, Any }

export const enum Activation { Linear, Relu, Relu6, Elu, LeakyRelu, Prelu, Sigmoid }

/** No tensor, for optional inputs (bias, prelu weights). */
export const NONE = -1;
