// Indexing and construction kernels: gather, one-hot, fill, range and segment sums.
// Indices are checked against what they index, and the size of every tensor made from
// arguments is checked before it is allocated.
#include "checks.h"
#include "common.h"

#include <cmath>
#include <string>

namespace gblend {

// gather(x, indices, axis): x.shape[:axis] + indices.shape + x.shape[axis+1:]
GB_EXPORT(gather) {
  const at::Tensor& x = c.tensor(0);
  const at::Tensor& indices = c.tensor(1);
  const int64_t axis = c.i32(2);
  check_axis(axis, x.dim(), "gather");
  check_integer_dtype(indices, "gather");
  std::vector<int64_t> shape(x.sizes().begin(), x.sizes().begin() + axis);
  for (auto s : indices.sizes()) shape.push_back(s);
  for (auto it = x.sizes().begin() + axis + 1; it != x.sizes().end(); ++it) shape.push_back(*it);
  check_shape(shape, "gather");
  const at::Tensor flat_indices = indices.reshape({-1});
  if (flat_indices.numel() > 0) {
    const int64_t low = flat_indices.min().item<int64_t>(), high = flat_indices.max().item<int64_t>();
    if (low < 0 || high >= x.size(axis)) fail("gather: index " + std::to_string(low < 0 ? low : high) + " is out of range [0, " + std::to_string(x.size(axis) - 1) + "]");
  }
  return c.result(at::index_select(x, axis, flat_indices).reshape(shape));
}

// oneHot(indices, depth, on, off, dtype); an index outside [0, depth) gives a row of `off`.
GB_EXPORT(oneHot) {
  const at::Tensor& indices = c.tensor(0);
  const int64_t depth = c.i32(1);
  check_integer_dtype(indices, "oneHot");
  check_at_least(depth, 0, "oneHot: depth");
  checked_count(indices.numel(), depth, "oneHot");
  const auto options = at::TensorOptions().dtype(scalar_type(c.i32(4)));
  at::Tensor hit = indices.unsqueeze(-1) == at::arange(depth, at::TensorOptions().dtype(indices.scalar_type()));
  return c.result(at::where(hit, at::scalar_tensor(c.f64(2), options), at::scalar_tensor(c.f64(3), options)));
}

// fill(rank, value, dtype); shape in io[0..rank)
GB_EXPORT(fill) {
  const int32_t rank = c.i32(0);
  check_at_least(rank, 0, "fill: rank");
  const auto shape = c.ints(0, static_cast<size_t>(rank));
  check_shape(shape, "fill");
  return c.result(at::full(shape, c.f64(1), at::TensorOptions().dtype(scalar_type(c.i32(2)))));
}

// range(start, stop, step, dtype)
GB_EXPORT(range) {
  const auto options = at::TensorOptions().dtype(scalar_type(c.i32(3)));
  const double start = c.f64(0), stop = c.f64(1), step = c.f64(2);
  if (!std::isfinite(start) || !std::isfinite(stop) || !std::isfinite(step)) fail("range: start, stop and step must be finite");
  if (step == 0) fail("range: step cannot be 0");
  // tfjs' rules: empty when the step points away from stop (but a step of exactly 1 on a
  // falling range counts down), else |ceil((stop - start) / step)| values start + i step.
  if (start == stop || (start < stop && step < 0) || (stop < start && step > 1)) return c.result(at::empty({0}, options));
  const double n = std::abs(std::ceil((stop - start) / step));
  if (!(n <= static_cast<double>(kMaxElements))) fail("range: more than 2^31-1 values");
  const double stride = stop < start && step == 1 ? -1 : step;
  const at::Tensor i = at::arange(static_cast<int64_t>(n), at::TensorOptions().dtype(at::kDouble));
  return c.result((i * stride + start).to(options.dtype()));
}

// unsortedSegmentSum(x, segmentIds, numSegments): sums rows of x by segment id
// (ids outside [0, numSegments) are dropped, as in tfjs).
GB_EXPORT(unsortedSegmentSum) {
  const at::Tensor& x = c.tensor(0);
  const at::Tensor& ids = c.tensor(1);
  const int64_t n = c.i32(2);
  check_integer_dtype(ids, "unsortedSegmentSum");
  check_at_least(n, 0, "unsortedSegmentSum: numSegments");
  const int64_t lead = ids.dim();
  if (lead > x.dim() || x.sizes().slice(0, static_cast<size_t>(lead)) != ids.sizes()) {
    fail("unsortedSegmentSum: segment ids of shape " + shape_string(ids.sizes()) + " do not lead " + shape_string(x.sizes()));
  }
  std::vector<int64_t> rest(x.sizes().begin() + lead, x.sizes().end());
  std::vector<int64_t> out_shape{n};
  out_shape.insert(out_shape.end(), rest.begin(), rest.end());
  check_shape(out_shape, "unsortedSegmentSum");
  std::vector<int64_t> rows_shape{ids.numel()};
  rows_shape.insert(rows_shape.end(), rest.begin(), rest.end());
  at::Tensor rows = x.reshape(rows_shape);
  at::Tensor flat_ids = ids.reshape({-1}).to(at::kLong);
  at::Tensor keep = (flat_ids >= 0).logical_and(flat_ids < n);
  at::Tensor out = at::zeros(out_shape, x.options());
  const at::Tensor kept = keep.nonzero().squeeze(1);
  out.index_add_(0, flat_ids.index_select(0, kept), rows.index_select(0, kept));
  return c.result(out);
}

}  // namespace gblend
