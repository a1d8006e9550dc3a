// Input checks shared by the kernels (checks.h).
#include "checks.h"

#include <algorithm>
#include <string>

namespace gblend {

std::string shape_string(at::IntArrayRef shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); i++) s += (i == 0 ? "" : ",") + std::to_string(shape[i]);
  return s + "]";
}

void check_shape(at::IntArrayRef shape, const char* what) {
  int64_t count = 1;
  for (const int64_t d : shape) {
    if (d < 0 || d > kMaxElements) fail(std::string(what) + ": dimension " + std::to_string(d) + " of shape " + shape_string(shape) + " is out of range");
    // count * d <= kMax without overflow: d == 0 ends the product at 0.
    if (d != 0 && count > kMaxElements / d) fail(std::string(what) + ": shape " + shape_string(shape) + " has more than 2^31-1 elements");
    count *= d;
  }
}

int64_t checked_count(int64_t rows, int64_t per_row, const char* what) {
  const int64_t dims[] = {rows, per_row};
  check_shape(dims, what);
  return rows * per_row;
}

void check_rank(const at::Tensor& t, int64_t rank, const char* what) {
  if (t.dim() != rank) fail(std::string(what) + ": expected a rank-" + std::to_string(rank) + " tensor, got shape " + shape_string(t.sizes()));
}

void check_dtype(const at::Tensor& t, at::ScalarType type, const char* what) {
  if (t.scalar_type() != type) fail(std::string(what) + ": expected " + c10::toString(type) + ", got " + c10::toString(t.scalar_type()));
}

void check_integer_dtype(const at::Tensor& t, const char* what) {
  if (t.scalar_type() != at::kInt) fail(std::string(what) + ": indices must be int32, got " + c10::toString(t.scalar_type()));
}

void check_same_dtype(const at::Tensor& a, const at::Tensor& b, const char* what) {
  if (a.scalar_type() != b.scalar_type()) {
    fail(std::string(what) + ": dtypes differ (" + c10::toString(a.scalar_type()) + " and " + c10::toString(b.scalar_type()) + ")");
  }
}

void check_axis(int64_t axis, int64_t rank, const char* what) {
  if (axis < 0 || axis >= rank) fail(std::string(what) + ": axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
}

void check_axes(const std::vector<int64_t>& axes, int64_t rank, const char* what) {
  for (const int64_t a : axes) check_axis(a, rank, what);
  std::vector<int64_t> sorted = axes;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) fail(std::string(what) + ": an axis is repeated");
}

void check_at_least(int64_t value, int64_t least, const char* what) {
  if (value < least) fail(std::string(what) + " must be at least " + std::to_string(least) + ", got " + std::to_string(value));
}

bool broadcasts_to(at::IntArrayRef from, at::IntArrayRef to) {
  if (from.size() > to.size()) return false;
  const size_t lead = to.size() - from.size();
  for (size_t i = 0; i < from.size(); i++) {
    if (from[i] != 1 && from[i] != to[lead + i]) return false;
  }
  return true;
}

}  // namespace gblend
