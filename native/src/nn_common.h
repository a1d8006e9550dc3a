// Shared pieces of the matrix product, convolution and pooling kernels (ops_nn.cc,
// ops_pool.cc): activations, NHWC <-> NCHW views, padding, and window geometry checks.
//
// tfjs stores images NHWC and filters HWIO; ATen works on NCHW / OIHW. A permuted NHWC
// tensor is an NCHW tensor in channels-last memory, which ATen's convolution (oneDNN)
// and pooling take as is, so no data is copied on the way in or out.
// tfjs 'same' padding may be larger at the bottom/right than at the top/left; ATen pads
// symmetrically, so uneven pads are applied explicitly and cropped in the backward pass.
#pragma once

#include "common.h"

#include <cstdint>
#include <vector>

namespace gblend {

// A fused activation (codes.h) applied to y; prelu weights must broadcast to y.
at::Tensor activate(at::Tensor y, int32_t act, double alpha, const c10::optional<at::Tensor>& prelu);
// Checks an optional bias or prelu tensor: float32 and broadcastable to `out`.
void check_addend(const c10::optional<at::Tensor>& t, at::IntArrayRef out, const char* what);

inline at::Tensor to_nchw(const at::Tensor& nhwc) { return nhwc.permute({0, 3, 1, 2}); }
inline at::Tensor to_nhwc(const at::Tensor& nchw) { return nchw.permute({0, 2, 3, 1}); }

struct Pads {
  int64_t top, bottom, left, right;
};
// Pads from arguments i..i+3, each >= 0.
Pads pads_at(Call& c, size_t i);

// How padding reaches ATen: symmetric pads as its padding argument, other pads (uneven,
// or beyond `max_h`/`max_w`, the most ATen's pooling accepts) applied to the input.
struct Padding {
  std::vector<int64_t> aten;  // {h, w}
  bool explicit_pads;
};
Padding prepare_pads(at::Tensor& x, const Pads& p, double value, int64_t max_h = INT64_MAX, int64_t max_w = INT64_MAX);
// Crops what prepare_pads added from a gradient of the padded input.
at::Tensor crop(const at::Tensor& dx, const Pads& p, const Padding& padding, int64_t h, int64_t w);

// The output size of a window sliding over `in` cells with pads, or a failure where the
// window does not fit: floor((in + pads - dilation (window - 1) - 1) / stride) + 1.
int64_t window_output(int64_t in, int64_t pads, int64_t window, int64_t stride, int64_t dilation, const char* what);
// A float32 image batch [n, h, w, c].
void check_image(const at::Tensor& t, const char* what);
// y (NHWC) is [n, oh, ow, c] as tfjs computed it.
void check_output(const at::Tensor& y, int64_t oh, int64_t ow, const char* what);
// dy is exactly `shape` (NHWC), the forward output the gradient belongs to.
void check_gradient(const at::Tensor& dy, std::vector<int64_t> shape, const char* what);

}  // namespace gblend
