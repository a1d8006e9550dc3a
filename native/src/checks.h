// Checks every kernel makes on what it receives before ATen or a raw loop touches memory:
// JavaScript (tfjs, gblend, or a user calling the addon) is never trusted to have checked.
// Each failure throws std::invalid_argument, which guard() turns into a JavaScript Error.
#pragma once

#include "common.h"

#include <string>
#include <vector>

namespace gblend {

std::string shape_string(at::IntArrayRef shape);

// Every dimension in [0, kMaxElements] and their product at most kMaxElements.
void check_shape(at::IntArrayRef shape, const char* what);
// The element count of a tensor of `rows` x `per_row` (both >= 0), checked like a shape.
int64_t checked_count(int64_t rows, int64_t per_row, const char* what);

void check_rank(const at::Tensor& t, int64_t rank, const char* what);
void check_dtype(const at::Tensor& t, at::ScalarType type, const char* what);
void check_integer_dtype(const at::Tensor& t, const char* what);
void check_same_dtype(const at::Tensor& a, const at::Tensor& b, const char* what);

// An axis in [0, rank).
void check_axis(int64_t axis, int64_t rank, const char* what);
// Axes in [0, rank), none twice.
void check_axes(const std::vector<int64_t>& axes, int64_t rank, const char* what);

// `value` >= `least` (strides, window sizes, pads).
void check_at_least(int64_t value, int64_t least, const char* what);

// Whether `from` broadcasts to exactly `to` (numpy rules, `from` no larger).
bool broadcasts_to(at::IntArrayRef from, at::IntArrayRef to);

}  // namespace gblend
