// Max and average pooling with their backprop kernels. Window geometry and gradient
// shapes are checked here (nn_common.h) before ATen runs; signals are blocked while it
// does (ATen's pooling may run on oneDNN, signals.h).
#include "checks.h"
#include "common.h"
#include "nn_common.h"
#include "signals.h"

#include <limits>
#include <string>

namespace gblend {
namespace {
constexpr double kMinusInf = -std::numeric_limits<double>::infinity();

struct Pool {
  std::vector<int64_t> kernel, stride;
  Pads pads;
  int64_t out_h, out_w;  // the output size, checked to fit
};

// Pool geometry of x (NHWC) from arguments i.. (filterH, filterW, strideH, strideW, top,
// bottom, left, right).
Pool pool_at(Call& c, size_t i, const at::Tensor& x, const char* what) {
  check_image(x, what);
  Pool pool{{c.i32(i), c.i32(i + 1)}, {c.i32(i + 2), c.i32(i + 3)}, pads_at(c, i + 4), 0, 0};
  pool.out_h = window_output(x.size(1), pool.pads.top + pool.pads.bottom, pool.kernel[0], pool.stride[0], 1, what);
  pool.out_w = window_output(x.size(2), pool.pads.left + pool.pads.right, pool.kernel[1], pool.stride[1], 1, what);
  // A window entirely in the padding would pool nothing.
  if (pool.pads.top >= pool.kernel[0] || pool.pads.bottom >= pool.kernel[0] || pool.pads.left >= pool.kernel[1] || pool.pads.right >= pool.kernel[1]) {
    fail(std::string(what) + ": padding must be smaller than the window");
  }
  return pool;
}

std::vector<int64_t> pooled_shape(const at::Tensor& x, const Pool& pool) { return {x.size(0), pool.out_h, pool.out_w, x.size(3)}; }

// ATen's pooling takes at most half the window as padding.
Padding prepare_pool_pads(at::Tensor& x, const Pool& pool, double value) {
  return prepare_pads(x, pool.pads, value, pool.kernel[0] / 2, pool.kernel[1] / 2);
}

void check_tfjs_output(Call& c, size_t i, const Pool& pool, const char* what) {
  if (pool.out_h != c.i32(i) || pool.out_w != c.i32(i + 1)) {
    fail(std::string(what) + ": output " + std::to_string(pool.out_h) + "x" + std::to_string(pool.out_w) + " differs from tfjs' " +
         std::to_string(c.i32(i)) + "x" + std::to_string(c.i32(i + 1)));
  }
}
}  // namespace

// maxPool(x, filterH, filterW, strideH, strideW, top, bottom, left, right, outH, outW)
GB_EXPORT(maxPool) {
  const at::Tensor& x_nhwc = c.tensor(0);
  const Pool pool = pool_at(c, 1, x_nhwc, "MaxPool");
  check_tfjs_output(c, 9, pool, "MaxPool");
  if (x_nhwc.numel() == 0) return c.result(at::zeros(pooled_shape(x_nhwc, pool), x_nhwc.options()));
  at::Tensor x = to_nchw(x_nhwc);
  SignalsBlocked blocked;
  const Padding padding = prepare_pool_pads(x, pool, kMinusInf);
  at::Tensor y = to_nhwc(at::max_pool2d(x, pool.kernel, pool.stride, padding.aten));
  check_output(y, pool.out_h, pool.out_w, "MaxPool");
  return c.result(y);
}

// maxPoolGrad(dy, x, filterH, filterW, strideH, strideW, top, bottom, left, right):
// each output's gradient goes to the first maximum of its window, as in tfjs.
GB_EXPORT(maxPoolGrad) {
  const at::Tensor& x_nhwc = c.tensor(1);
  const Pool pool = pool_at(c, 2, x_nhwc, "MaxPoolGrad");
  check_gradient(c.tensor(0), pooled_shape(x_nhwc, pool), "MaxPoolGrad");
  if (x_nhwc.numel() == 0) return c.result(at::zeros(x_nhwc.sizes(), x_nhwc.options()));
  const at::Tensor dy = to_nchw(c.tensor(0));
  at::Tensor x = to_nchw(x_nhwc);
  const int64_t h = x.size(2), w = x.size(3);
  SignalsBlocked blocked;
  const Padding padding = prepare_pool_pads(x, pool, kMinusInf);
  auto pooled = at::max_pool2d_with_indices(x, pool.kernel, pool.stride, padding.aten);
  at::Tensor dx = at::max_pool2d_with_indices_backward(dy, x, pool.kernel, pool.stride, padding.aten, {1, 1}, false, std::get<1>(pooled));
  return c.result(to_nhwc(crop(dx, pool.pads, padding, h, w)));
}

// avgPool(x, filterH, filterW, strideH, strideW, top, bottom, left, right, outH, outW):
// padding is not counted in the average, as in tfjs.
GB_EXPORT(avgPool) {
  const at::Tensor& x_nhwc = c.tensor(0);
  const Pool pool = pool_at(c, 1, x_nhwc, "AvgPool");
  check_tfjs_output(c, 9, pool, "AvgPool");
  if (x_nhwc.numel() == 0) return c.result(at::zeros(pooled_shape(x_nhwc, pool), x_nhwc.options()));
  at::Tensor x = to_nchw(x_nhwc);
  const int64_t h = x.size(2), w = x.size(3);
  SignalsBlocked blocked;
  at::Tensor padded = x;
  const Padding padding = prepare_pool_pads(padded, pool, 0);
  at::Tensor y;
  if (!padding.explicit_pads) {
    y = at::avg_pool2d(x, pool.kernel, pool.stride, padding.aten, false, /*count_include_pad=*/false);
  } else {
    // The mean over the zero-padded input, rescaled by the share of real cells in each window.
    const Pads& p = pool.pads;
    at::Tensor ones = at::constant_pad_nd(at::ones({1, 1, h, w}, x.options()), {p.left, p.right, p.top, p.bottom}, 0);
    y = at::avg_pool2d(padded, pool.kernel, pool.stride, {0, 0}, false, true) / at::avg_pool2d(ones, pool.kernel, pool.stride, {0, 0}, false, true);
  }
  y = to_nhwc(y);
  check_output(y, pool.out_h, pool.out_w, "AvgPool");
  return c.result(y);
}

// avgPoolGrad(dy, x, filterH, filterW, strideH, strideW, top, bottom, left, right):
// each window's gradient is spread over its cells divided by the full filter area, padding
// cells included (and dropped), as tfjs' cpu kernel does; it is not the exact gradient of
// AvgPool where windows overlap the padding.
GB_EXPORT(avgPoolGrad) {
  const at::Tensor& x_nhwc = c.tensor(1);
  const Pool pool = pool_at(c, 2, x_nhwc, "AvgPoolGrad");
  check_gradient(c.tensor(0), pooled_shape(x_nhwc, pool), "AvgPoolGrad");
  if (x_nhwc.numel() == 0) return c.result(at::zeros(x_nhwc.sizes(), x_nhwc.options()));
  const at::Tensor dy = to_nchw(c.tensor(0));
  at::Tensor x = to_nchw(x_nhwc);
  const int64_t h = x.size(2), w = x.size(3);
  SignalsBlocked blocked;
  const Padding padding = prepare_pool_pads(x, pool, 0);
  at::Tensor dx = at::avg_pool2d_backward(dy, x, pool.kernel, pool.stride, padding.aten, false, /*count_include_pad=*/true, c10::nullopt);
  return c.result(to_nhwc(crop(dx, pool.pads, padding, h, w)));
}

}  // namespace gblend
