// Shape and indexing kernels. Views share storage with their input: tfjs never writes
// into a tensor, so sharing is safe. Every list from io, axis and size is checked here
// against the tensors it applies to before ATen sees it.
#include "checks.h"
#include "common.h"

#include <string>

namespace gblend {
namespace {

size_t count(Call& c, size_t i) {
  const int32_t n = c.i32(i);
  if (n < 0) fail("negative count");
  return static_cast<size_t>(n);
}

// A list of `rank` values that must match x's rank.
std::vector<int64_t> per_axis(Call& c, const at::Tensor& x, size_t rank_arg, size_t offset, const char* what) {
  const size_t rank = count(c, rank_arg);
  if (static_cast<int64_t>(rank) != x.dim()) fail(std::string(what) + ": " + std::to_string(rank) + " values for rank " + std::to_string(x.dim()));
  return c.ints(offset, rank);
}

// n >= 1 tensors of one dtype and rank.
std::vector<at::Tensor> same_kind(Call& c, size_t n_arg, const char* what) {
  const size_t n = count(c, n_arg);
  if (n == 0) fail(std::string(what) + " needs at least one tensor");
  auto xs = c.tensors(0, n);
  for (const auto& x : xs) {
    check_same_dtype(x, xs[0], what);
    if (x.dim() != xs[0].dim()) fail(std::string(what) + ": ranks differ");
  }
  return xs;
}

}  // namespace

// reshape(x, rank); shape in io[0..rank)
GB_EXPORT(reshape) {
  const at::Tensor& x = c.tensor(0);
  const auto shape = c.ints(0, count(c, 1));
  check_shape(shape, "reshape");
  if (c10::multiply_integers(shape) != x.numel()) fail("reshape: " + shape_string(x.sizes()) + " has no " + shape_string(shape) + " form");
  return c.result(x.reshape(shape));
}

// transpose(x, rank); perm in io[0..rank)
GB_EXPORT(transpose) {
  const at::Tensor& x = c.tensor(0);
  const auto perm = per_axis(c, x, 1, 0, "transpose");
  check_axes(perm, x.dim(), "transpose");
  return c.result(x.permute(perm));
}

// slice(x, rank); begin in io[0..rank), size in io[rank..2 rank)
GB_EXPORT(slice) {
  at::Tensor y = c.tensor(0);
  const auto begin = per_axis(c, y, 1, 0, "slice");
  const size_t rank = begin.size();
  const auto size = c.ints(rank, rank);
  for (size_t d = 0; d < rank; d++) {
    const int64_t dim = y.size(static_cast<int64_t>(d));
    if (begin[d] < 0 || size[d] < 0 || begin[d] > dim || size[d] > dim - begin[d]) {
      fail("slice: begin " + std::to_string(begin[d]) + " size " + std::to_string(size[d]) + " outside axis " + std::to_string(d) + " of " + shape_string(y.sizes()));
    }
  }
  for (size_t d = 0; d < rank; d++) y = y.narrow(static_cast<int64_t>(d), begin[d], size[d]);
  return c.result(y);
}

// concat(n, axis); ids in io[0..n)
GB_EXPORT(concat) {
  const auto xs = same_kind(c, 0, "concat");
  const int64_t axis = c.i32(1);
  check_axis(axis, xs[0].dim(), "concat");
  for (const auto& x : xs) {
    for (int64_t d = 0; d < x.dim(); d++) {
      if (d != axis && x.size(d) != xs[0].size(d)) fail("concat: shapes " + shape_string(xs[0].sizes()) + " and " + shape_string(x.sizes()) + " differ off axis " + std::to_string(axis));
    }
  }
  // The result's size is checked before it is allocated (each input is within the limit, their sum
  // may not be: two [2^30] tensors would otherwise take 8 GB before being refused).
  std::vector<int64_t> out = xs[0].sizes().vec();
  out[static_cast<size_t>(axis)] = 0;
  for (const auto& x : xs) out[static_cast<size_t>(axis)] = checked_count(1, out[static_cast<size_t>(axis)] + x.size(axis), "concat");
  check_shape(out, "concat");
  return c.result(at::cat(xs, axis));
}

// split(x, axis, n); sizes in io[0..n) -> n outputs
GB_EXPORT(split) {
  const at::Tensor& x = c.tensor(0);
  const int64_t axis = c.i32(1);
  check_axis(axis, x.dim(), "split");
  const auto sizes = c.ints(0, count(c, 2));
  int64_t total = 0;
  for (const int64_t s : sizes) {
    if (s < 0) fail("split: negative size");
    total += s;
  }
  if (total != x.size(axis)) fail("split: sizes add up to " + std::to_string(total) + ", not " + std::to_string(x.size(axis)));
  return c.results(at::split_with_sizes(x, sizes, axis));
}

// pack(n, axis); ids in io[0..n)
GB_EXPORT(pack) {
  const auto xs = same_kind(c, 0, "pack");
  const int64_t axis = c.i32(1);
  check_axis(axis, xs[0].dim() + 1, "pack");
  for (const auto& x : xs) {
    if (x.sizes() != xs[0].sizes()) fail("pack: shapes " + shape_string(xs[0].sizes()) + " and " + shape_string(x.sizes()) + " differ");
  }
  std::vector<int64_t> out = xs[0].sizes().vec();
  out.insert(out.begin() + axis, static_cast<int64_t>(xs.size()));
  check_shape(out, "pack");  // before allocating, as in concat
  return c.result(at::stack(xs, axis));
}

// unpack(x, axis) -> one output per index along axis
GB_EXPORT(unpack) {
  const at::Tensor& x = c.tensor(0);
  const int64_t axis = c.i32(1);
  check_axis(axis, x.dim(), "unpack");
  c.check_results_fit(x.size(axis), x.dim() - 1);
  return c.results(at::unbind(x, axis));
}

// tile(x, rank); reps in io[0..rank)
GB_EXPORT(tile) {
  const at::Tensor& x = c.tensor(0);
  const auto reps = per_axis(c, x, 1, 0, "tile");
  std::vector<int64_t> out(reps.size());
  for (size_t d = 0; d < reps.size(); d++) {
    if (reps[d] < 0) fail("tile: negative repetition");
    out[d] = checked_count(x.size(static_cast<int64_t>(d)), reps[d], "tile");
  }
  check_shape(out, "tile");
  return c.result(x.repeat(reps));
}

// pad(x, rank, value); (before, after) per axis in io[0..2 rank)
GB_EXPORT(pad) {
  const at::Tensor& x = c.tensor(0);
  const size_t rank = count(c, 1);
  if (static_cast<int64_t>(rank) != x.dim()) fail("pad: paddings for rank " + std::to_string(rank) + ", tensor of rank " + std::to_string(x.dim()));
  const auto pairs = c.ints(0, 2 * rank);
  std::vector<int64_t> out(rank);
  for (size_t d = 0; d < rank; d++) {
    if (pairs[2 * d] < 0 || pairs[2 * d + 1] < 0) fail("pad: negative padding");
    out[d] = x.size(static_cast<int64_t>(d)) + pairs[2 * d] + pairs[2 * d + 1];
  }
  check_shape(out, "pad");
  // ATen refuses to pad an empty tensor; the result is all padding.
  if (x.numel() == 0) return c.result(at::full(out, c.f64(2), x.options()));
  // ATen lists pads from the last axis backwards.
  std::vector<int64_t> pads;
  for (size_t d = rank; d-- > 0;) {
    pads.push_back(pairs[2 * d]);
    pads.push_back(pairs[2 * d + 1]);
  }
  return c.result(at::constant_pad_nd(x, pads, c.f64(2)));
}

// reverse(x, n); axes in io[0..n)
GB_EXPORT(reverse) {
  const at::Tensor& x = c.tensor(0);
  const auto axes = c.ints(0, count(c, 1));
  check_axes(axes, x.dim(), "reverse");
  return c.result(at::flip(x, axes));
}

}  // namespace gblend
