// Reductions, arg-reductions and softmax. Axes are checked against the input's rank, and
// empty results are made here (ATen refuses some reductions over empty axes).
#include "checks.h"
#include "codes.h"
#include "common.h"

#include <algorithm>
#include <string>

namespace gblend {
namespace {

at::Tensor floating(const at::Tensor& x) { return x.is_floating_point() ? x : x.to(at::kFloat); }

// tfjs dtypes of reductions: sums and products of int32/bool are int32, means float32.
at::Tensor reduce(int32_t op, const at::Tensor& x, const std::vector<int64_t>& axes, bool keep) {
  if (axes.empty()) {
    // Nothing to reduce (ATen would read an empty list as "all axes").
    if (op == kMean) return floating(x).clone();
    if (op == kSum || op == kProd) return x.scalar_type() == at::kBool ? x.to(at::kInt) : x.clone();
    return x.clone();
  }
  const auto integral = x.is_floating_point() ? x.scalar_type() : at::kInt;
  // Where the result itself is empty, it is (ATen refuses max, min, all, any over an
  // empty axis even then).
  std::vector<int64_t> out;
  for (int64_t d = 0; d < x.dim(); d++) {
    const bool reduced = std::find(axes.begin(), axes.end(), d) != axes.end();
    if (!reduced || keep) out.push_back(reduced ? 1 : x.size(d));
  }
  if (c10::multiply_integers(out) == 0) {
    const auto type = op == kSum || op == kProd ? integral : op == kMean ? at::kFloat : op == kAll || op == kAny ? at::kBool : x.scalar_type();
    return at::empty(out, at::TensorOptions().dtype(type));
  }
  switch (op) {
    case kSum: return at::sum(x, axes, keep, integral);
    case kProd: {
      at::Tensor y = x.to(integral);
      for (auto it = axes.rbegin(); it != axes.rend(); ++it) y = at::prod(y, *it, true, integral);
      if (!keep) {
        for (auto it = axes.rbegin(); it != axes.rend(); ++it) y = y.squeeze(*it);
      }
      return y;
    }
    case kMax: return at::amax(x, axes, keep);
    case kMin: return at::amin(x, axes, keep);
    case kMean: return at::mean(floating(x), axes, keep);
    case kAll: {
      at::Tensor y = x.to(at::kBool);
      return at::logical_not(at::amax(at::logical_not(y).to(at::kByte), axes, keep).to(at::kBool));
    }
    case kAny: return at::amax(x.to(at::kBool).to(at::kByte), axes, keep).to(at::kBool);
    default: fail("unknown reduction " + std::to_string(op));
  }
}

std::vector<int64_t> sorted_axes(std::vector<int64_t> axes) {
  std::sort(axes.begin(), axes.end());
  return axes;
}


}  // namespace

// reduce(op, x, keepDims, nAxes); axes in io[0..nAxes)
GB_EXPORT(reduce) {
  const int32_t n = c.i32(3);
  check_at_least(n, 0, "reduce: axis count");
  const at::Tensor& x = c.tensor(1);
  const auto axes = sorted_axes(c.ints(0, static_cast<size_t>(n)));
  check_axes(axes, x.dim(), "reduce");
  return c.result(reduce(c.i32(0), x, axes, c.flag(2)));
}

// argReduce(isMax, x, axis) -> int32 indices of the first extreme value
GB_EXPORT(argReduce) {
  const at::Tensor& x = c.tensor(1);
  const int64_t axis = c.i32(2);
  check_axis(axis, x.dim(), "argMax/argMin");
  if (x.size(axis) == 0) {
    std::vector<int64_t> out = x.sizes().vec();
    out.erase(out.begin() + axis);
    if (c10::multiply_integers(out) > 0) fail("argMax/argMin: the reduced axis is empty");
    return c.result(at::empty(out, at::TensorOptions().dtype(at::kInt)));
  }
  at::Tensor i = c.flag(0) ? at::argmax(x, axis) : at::argmin(x, axis);
  return c.result(i.to(at::kInt));
}

// softmax(x, dim, log)
GB_EXPORT(softmax) {
  const at::Tensor& x = c.tensor(0);
  const int64_t dim = c.i32(1);
  check_axis(dim, x.dim(), "softmax");
  check_dtype(x, at::kFloat, "softmax");
  return c.result(c.flag(2) ? at::log_softmax(x, dim) : at::softmax(x, dim));
}

}  // namespace gblend
