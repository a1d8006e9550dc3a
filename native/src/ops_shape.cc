// Shape, indexing and construction kernels. Views share storage with their input:
// tfjs never writes into a tensor, so sharing is safe.
#include "common.h"

#include <string>

namespace gblend {
namespace {

size_t count(Call& c, size_t i) {
  const int32_t n = c.i32(i);
  if (n < 0) fail("negative count");
  return static_cast<size_t>(n);
}

}  // namespace

// reshape(x, rank); shape in io[0..rank)
GB_EXPORT(reshape) { return c.result(c.tensor(0).reshape(c.ints(0, count(c, 1)))); }

// transpose(x, rank); perm in io[0..rank)
GB_EXPORT(transpose) { return c.result(c.tensor(0).permute(c.ints(0, count(c, 1)))); }

// slice(x, rank); begin in io[0..rank), size in io[rank..2 rank)
GB_EXPORT(slice) {
  at::Tensor y = c.tensor(0);
  const size_t rank = count(c, 1);
  const auto begin = c.ints(0, rank);
  const auto size = c.ints(rank, rank);
  for (size_t d = 0; d < rank; d++) y = y.narrow(static_cast<int64_t>(d), begin[d], size[d]);
  return c.result(y);
}

// concat(n, axis); ids in io[0..n)
GB_EXPORT(concat) { return c.result(at::cat(c.tensors(0, count(c, 0)), c.i32(1))); }

// split(x, axis, n); sizes in io[0..n) -> n outputs
GB_EXPORT(split) {
  return c.results(at::split_with_sizes(c.tensor(0), c.ints(0, count(c, 2)), c.i32(1)));
}

// pack(n, axis); ids in io[0..n)
GB_EXPORT(pack) { return c.result(at::stack(c.tensors(0, count(c, 0)), c.i32(1))); }

// unpack(x, axis) -> one output per index along axis
GB_EXPORT(unpack) { return c.results(at::unbind(c.tensor(0), c.i32(1))); }

// tile(x, rank); reps in io[0..rank)
GB_EXPORT(tile) { return c.result(c.tensor(0).repeat(c.ints(0, count(c, 1)))); }

// pad(x, rank, value); (before, after) per axis in io[0..2 rank)
GB_EXPORT(pad) {
  const size_t rank = count(c, 1);
  const auto pairs = c.ints(0, 2 * rank);
  // ATen lists pads from the last axis backwards.
  std::vector<int64_t> pads;
  for (size_t d = rank; d-- > 0;) {
    pads.push_back(pairs[2 * d]);
    pads.push_back(pairs[2 * d + 1]);
  }
  return c.result(at::constant_pad_nd(c.tensor(0), pads, c.f64(2)));
}

// reverse(x, n); axes in io[0..n)
GB_EXPORT(reverse) { return c.result(at::flip(c.tensor(0), c.ints(0, count(c, 1)))); }

// gather(x, indices, axis): x.shape[:axis] + indices.shape + x.shape[axis+1:]
GB_EXPORT(gather) {
  const at::Tensor& x = c.tensor(0);
  const at::Tensor& indices = c.tensor(1);
  const int64_t axis = c.i32(2);
  at::Tensor flat = at::index_select(x, axis, indices.reshape({-1}));
  std::vector<int64_t> shape(x.sizes().begin(), x.sizes().begin() + axis);
  for (auto s : indices.sizes()) shape.push_back(s);
  for (auto it = x.sizes().begin() + axis + 1; it != x.sizes().end(); ++it) shape.push_back(*it);
  return c.result(flat.reshape(shape));
}

// oneHot(indices, depth, on, off, dtype); an index outside [0, depth) gives a row of `off`.
GB_EXPORT(oneHot) {
  const at::Tensor& indices = c.tensor(0);
  const int64_t depth = c.i32(1);
  const auto options = at::TensorOptions().dtype(scalar_type(c.i32(4)));
  at::Tensor hit = indices.unsqueeze(-1) == at::arange(depth, at::TensorOptions().dtype(indices.scalar_type()));
  return c.result(at::where(hit, at::scalar_tensor(c.f64(2), options), at::scalar_tensor(c.f64(3), options)));
}

// fill(rank, value, dtype); shape in io[0..rank)
GB_EXPORT(fill) {
  return c.result(at::full(c.ints(0, count(c, 0)), c.f64(1), at::TensorOptions().dtype(scalar_type(c.i32(2)))));
}

// range(start, stop, step, dtype)
GB_EXPORT(range) {
  const auto options = at::TensorOptions().dtype(scalar_type(c.i32(3)));
  const double start = c.f64(0), stop = c.f64(1), step = c.f64(2);
  if (step == 0 || (step > 0 ? start >= stop : start <= stop)) return c.result(at::empty({0}, options));
  return c.result(at::arange(start, stop, step, at::TensorOptions().dtype(at::kDouble)).to(options.dtype()));
}

// unsortedSegmentSum(x, segmentIds, numSegments): sums rows of x by segment id
// (ids outside [0, numSegments) are dropped, as in tfjs).
GB_EXPORT(unsortedSegmentSum) {
  const at::Tensor& x = c.tensor(0);
  const at::Tensor& ids = c.tensor(1);
  const int64_t n = c.i32(2);
  const int64_t lead = ids.dim();
  std::vector<int64_t> rest(x.sizes().begin() + lead, x.sizes().end());
  std::vector<int64_t> rows_shape{-1};
  rows_shape.insert(rows_shape.end(), rest.begin(), rest.end());
  at::Tensor rows = x.reshape(rows_shape);
  at::Tensor flat_ids = ids.reshape({-1}).to(at::kLong);
  at::Tensor keep = (flat_ids >= 0).logical_and(flat_ids < n);
  std::vector<int64_t> out_shape{n};
  out_shape.insert(out_shape.end(), rest.begin(), rest.end());
  at::Tensor out = at::zeros(out_shape, x.options());
  const at::Tensor kept = keep.nonzero().squeeze(1);
  out.index_add_(0, flat_ids.index_select(0, kept), rows.index_select(0, kept));
  return c.result(out);
}

}  // namespace gblend
