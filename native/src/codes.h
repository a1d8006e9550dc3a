// Operation codes shared with src/engine/native/codes.ts: keep both lists in step.
#pragma once

#include <cstdint>

namespace gblend {

// Bumped whenever a function or code changes meaning; the loader refuses another.
constexpr int32_t kProtocol = 5;

enum Unary : int32_t {
  kNeg, kExp, kLog, kSqrt, kSquare, kAbs, kRelu, kFloor, kCeil, kRound, kSign, kReciprocal, kRsqrt,
  kSigmoid, kTanh, kSoftplus, kLog1p, kExpm1, kRelu6, kElu, kLogicalNot, kIsNan, kSin, kCos,
  kZerosLike, kOnesLike, kErf, kSelu,
  // With parameters p0 (and p1).
  kStep, kLeakyRelu, kClip,
};

enum Binary : int32_t {
  kAdd, kSub, kMul, kRealDiv, kFloorDiv, kMaximum, kMinimum, kPow, kSquaredDifference, kMod,
  kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual, kLogicalAnd, kLogicalOr,
  kPrelu, kEluGrad, kAtan2,
};

enum Reduce : int32_t { kSum, kMax, kMin, kMean, kProd, kAll, kAny };

// Fused activations of _FusedMatMul and FusedConv2D.
enum Activation : int32_t { kLinear, kActRelu, kActRelu6, kActElu, kActLeakyRelu, kActPrelu, kActSigmoid };

}  // namespace gblend
