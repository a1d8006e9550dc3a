// Elementwise, reduction, softmax, cast and selection kernels.
#include "checks.h"
#include "codes.h"
#include "common.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace gblend {
namespace {

at::Tensor floating(const at::Tensor& x) { return x.is_floating_point() ? x : x.to(at::kFloat); }

// tfjs' Step (ReLU's gradient): 1 where x > 0, alpha elsewhere, NaN stays NaN.
// Two plain selects, which vectorise, instead of one nested one, which branched and
// mispredicted on every other element of a ReLU's input.
GB_MULTIVERSION
void step_range(const float* __restrict x, float* __restrict y, float alpha, int64_t begin, int64_t end) {
  for (int64_t i = begin; i < end; i++) y[i] = x[i] > 0.0f ? 1.0f : alpha;
  for (int64_t i = begin; i < end; i++) y[i] = x[i] != x[i] ? x[i] : y[i];
}

// One pass over the memory: ATen has no single kernel for it, and composing one
// (comparisons into bool tensors and where(), or sign() plus a NaN check) took 35 us
// and more on 128x512, against 6 for a product.
at::Tensor step(const at::Tensor& x_in, double alpha) {
  if (!x_in.is_floating_point()) return at::where(at::gt(x_in, 0), at::ones_like(x_in), at::full_like(x_in, alpha));
  const at::Tensor x = x_in.to(at::kFloat).contiguous();
  at::Tensor y = at::empty_like(x);
  const float* xp = x.data_ptr<float>();
  float* yp = y.data_ptr<float>();
  const float a = static_cast<float>(alpha);
  at::parallel_for(0, x.numel(), at::internal::GRAIN_SIZE, [=](int64_t begin, int64_t end) { step_range(xp, yp, a, begin, end); });
  return y;
}

at::Tensor unary(int32_t op, const at::Tensor& x, double p0, double p1) {
  switch (op) {
    case kNeg: return at::neg(x);
    case kExp: return at::exp(floating(x));
    case kLog: return at::log(floating(x));
    case kSqrt: return at::sqrt(floating(x));
    case kSquare: return at::mul(x, x);
    case kAbs: return at::abs(x);
    case kRelu: return at::relu(x);
    case kFloor: return x.is_floating_point() ? at::floor(x) : x.clone();
    case kCeil: return x.is_floating_point() ? at::ceil(x) : x.clone();
    case kRound: return x.is_floating_point() ? at::round(x) : x.clone();
    case kSign: return at::sign(x);
    case kReciprocal: return at::reciprocal(floating(x));
    case kRsqrt: return at::rsqrt(floating(x));
    case kSigmoid: return at::sigmoid(floating(x));
    case kTanh: return at::tanh(floating(x));
    case kSoftplus: return at::softplus(floating(x));
    case kLog1p: return at::log1p(floating(x));
    case kExpm1: return at::expm1(floating(x));
    case kRelu6: return at::clamp(x, 0, 6);
    case kElu: return at::elu(floating(x));
    case kLogicalNot: return at::logical_not(x);
    case kIsNan: return at::isnan(x);
    case kSin: return at::sin(floating(x));
    case kCos: return at::cos(floating(x));
    case kZerosLike: return at::zeros_like(x, at::MemoryFormat::Contiguous);
    case kOnesLike: return at::ones_like(x, at::MemoryFormat::Contiguous);
    case kErf: return at::erf(floating(x));
    case kSelu: return at::selu(floating(x));
    case kStep: return step(x, p0);
    case kLeakyRelu: return at::where(x < 0, x * p0, x);
    case kClip: {
      // tfjs keeps the input's dtype (ATen would promote int32 to float32 for float bounds).
      at::Tensor y = at::clamp(x, p0, p1);
      return y.scalar_type() == x.scalar_type() ? y : y.to(x.scalar_type());
    }
    default: fail("unknown unary op " + std::to_string(op));
  }
}

// tfjs' FloorDiv: floor(a / b) in double precision, stored as int32 the way JavaScript
// does (an Int32Array takes infinities and NaN as 0 and wraps the rest modulo 2^32),
// whatever the inputs' dtype; so an integer division by zero is 0, not an ATen error.
at::Tensor floor_div(const at::Tensor& a, const at::Tensor& b) {
  const at::Tensor q = at::floor(at::div(a.to(at::kDouble), b.to(at::kDouble)));
  const at::Tensor finite = at::where(at::isfinite(q), q, at::zeros_like(q));
  const double two32 = 4294967296.0, two31 = 2147483648.0;
  return (finite - at::floor((finite + two31) / two32) * two32).to(at::kInt);
}

at::Tensor binary(int32_t op, const at::Tensor& a, const at::Tensor& b) {
  switch (op) {
    case kAdd: return at::add(a, b);
    case kSub: return at::sub(a, b);
    case kMul: return at::mul(a, b);
    case kRealDiv: {
      at::Tensor q = at::div(a, b);
      // tfjs keeps an integer dtype (it truncates the quotient).
      return a.is_floating_point() ? q : q.to(a.scalar_type());
    }
    case kFloorDiv: return floor_div(a, b);
    case kMaximum: return at::maximum(a, b);
    case kMinimum: return at::minimum(a, b);
    case kPow: return at::pow(a, b);
    case kSquaredDifference: {
      at::Tensor d = at::sub(a, b);
      return at::mul(d, d);
    }
    case kMod: {
      if (a.is_floating_point()) return at::remainder(a, b);
      // Integer modulo by 0: tfjs computes NaN and stores it into an Int32Array, as 0; ATen throws.
      const at::Tensor zero = b.eq(0);
      return at::where(zero, at::zeros({}, a.options()), at::remainder(a, at::where(zero, at::ones({}, b.options()), b)));
    }
    case kEqual: return at::eq(a, b);
    case kNotEqual: return at::ne(a, b);
    case kLess: return at::lt(a, b);
    case kLessEqual: return at::le(a, b);
    case kGreater: return at::gt(a, b);
    case kGreaterEqual: return at::ge(a, b);
    case kLogicalAnd: return at::logical_and(a, b);
    case kLogicalOr: return at::logical_or(a, b);
    case kPrelu: return at::where(a < 0, a * b, a);  // a: x, b: alpha
    case kEluGrad:  // a: dy, b: y, of one shape in tfjs
      if (a.sizes() != b.sizes()) fail("EluGrad: shapes " + shape_string(a.sizes()) + " and " + shape_string(b.sizes()) + " differ");
      return at::where(b < 0, a * (b + 1), a);
    case kAtan2: return at::atan2(floating(a), floating(b));
    default: fail("unknown binary op " + std::to_string(op));
  }
}

}  // namespace

// unary(op, x, p0, p1)
GB_EXPORT(unary) { return c.result(unary(c.i32(0), c.tensor(1), c.f64(2), c.f64(3))); }

// binary(op, a, b)
// tfjs' ops make both operands one dtype before the kernel; ATen would promote instead.
GB_EXPORT(binary) {
  const at::Tensor& a = c.tensor(1);
  const at::Tensor& b = c.tensor(2);
  check_same_dtype(a, b, "binary op");
  return c.result(binary(c.i32(0), a, b));
}

}  // namespace gblend
