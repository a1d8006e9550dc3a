// Matrix products, convolutions and pooling, with their backprop kernels.
//
// tfjs stores images NHWC and filters HWIO; ATen works on NCHW / OIHW. A permuted NHWC
// tensor is an NCHW tensor in channels-last memory, which ATen's convolution (oneDNN)
// and pooling take as is, so no data is copied on the way in or out.
// tfjs 'same' padding may be larger at the bottom/right than at the top/left; ATen pads
// symmetrically, so uneven pads are applied explicitly and cropped in the backward pass.
#include "codes.h"
#include "common.h"
#include "gemm.h"

#include <limits>
#include <string>

namespace gblend {
namespace {

at::Tensor activate(at::Tensor y, int32_t act, double alpha, const c10::optional<at::Tensor>& prelu) {
  switch (act) {
    case kLinear: return y;
    case kActRelu: return at::relu_(y);
    case kActRelu6: return at::clamp_(y, 0, 6);
    case kActElu: return at::elu(y);
    case kActLeakyRelu: return at::leaky_relu(y, alpha);
    case kActPrelu:
      if (!prelu) fail("prelu activation without weights");
      return at::where(y < 0, y * *prelu, y);
    case kActSigmoid: return at::sigmoid_(y);
    default: fail("unknown activation " + std::to_string(act));
  }
}

at::Tensor to_nchw(const at::Tensor& nhwc) { return nhwc.permute({0, 3, 1, 2}); }
at::Tensor to_nhwc(const at::Tensor& nchw) { return nchw.permute({0, 2, 3, 1}); }

struct Pads {
  int64_t top, bottom, left, right;
};

Pads pads_at(Call& c, size_t i) { return {c.i32(i), c.i32(i + 1), c.i32(i + 2), c.i32(i + 3)}; }

// How padding reaches ATen: symmetric pads as its padding argument, other pads (uneven,
// or beyond `max_h`/`max_w`, the most ATen's pooling accepts) applied to the input.
struct Padding {
  std::vector<int64_t> aten;  // {h, w}
  bool explicit_pads;
};

Padding prepare_pads(at::Tensor& x, const Pads& p, double value, int64_t max_h = INT64_MAX, int64_t max_w = INT64_MAX) {
  if (p.top == p.bottom && p.left == p.right && p.top <= max_h && p.left <= max_w) return {{p.top, p.left}, false};
  x = at::constant_pad_nd(x, {p.left, p.right, p.top, p.bottom}, value);
  return {{0, 0}, true};
}

// Crops what prepare_pads added from a gradient of the padded input.
at::Tensor crop(const at::Tensor& dx, const Pads& p, const Padding& padding, int64_t h, int64_t w) {
  if (!padding.explicit_pads) return dx;
  return dx.narrow(2, p.top, h).narrow(3, p.left, w);
}

void check_output(const at::Tensor& y, int64_t oh, int64_t ow, const char* what) {
  if (y.size(1) != oh || y.size(2) != ow) {
    fail(std::string(what) + ": output " + std::to_string(y.size(1)) + "x" + std::to_string(y.size(2)) +
         " differs from tfjs' " + std::to_string(oh) + "x" + std::to_string(ow));
  }
}

}  // namespace

// matmul(a, b, transposeA, transposeB, bias, activation, alpha, preluWeights)
// BatchMatMul and _FusedMatMul; bias and prelu are ids or -1.
GB_EXPORT(matmul) {
  at::Tensor a = c.tensor(0);
  at::Tensor b = c.tensor(1);
  if (c.flag(2)) a = a.transpose(-2, -1);
  if (c.flag(3)) b = b.transpose(-2, -1);
  const at::Tensor y = matmul(a, b, c.maybe_tensor(4));
  return c.result(activate(y, c.i32(5), c.f64(6), c.maybe_tensor(7)));
}

// conv2d(x, filter, bias, strideH, strideW, dilationH, dilationW, top, bottom, left, right,
//        outH, outW, activation, alpha, preluWeights)
GB_EXPORT(conv2d) {
  at::Tensor x = to_nchw(c.tensor(0));
  const at::Tensor w = c.tensor(1).permute({3, 2, 0, 1});
  const auto bias = c.maybe_tensor(2);
  // ATen adds a bias of one value per output channel; tfjs allows any broadcastable one.
  const bool per_channel = bias && bias->dim() == 1 && bias->size(0) == w.size(0);
  const Padding padding = prepare_pads(x, pads_at(c, 7), 0);
  at::Tensor y = to_nhwc(at::conv2d(x, w, per_channel ? bias : c10::nullopt, {c.i32(3), c.i32(4)}, padding.aten, {c.i32(5), c.i32(6)}));
  check_output(y, c.i32(11), c.i32(12), "Conv2D");
  if (bias && !per_channel) y = y + *bias;
  return c.result(activate(y, c.i32(13), c.f64(14), c.maybe_tensor(15)));
}

// conv2dBackpropInput(dy, filter, batch, inH, inW, inC, strideH, strideW, top, bottom, left, right)
GB_EXPORT(conv2dBackpropInput) {
  const at::Tensor dy = to_nchw(c.tensor(0));
  const at::Tensor w = c.tensor(1).permute({3, 2, 0, 1});
  const int64_t n = c.i32(2), h = c.i32(3), wd = c.i32(4), ch = c.i32(5);
  const Pads p = pads_at(c, 8);
  // Only the input's shape and memory layout matter for the input gradient.
  at::Tensor x = at::empty({n, ch, h, wd}, dy.options().memory_format(at::MemoryFormat::ChannelsLast));
  const Padding padding = prepare_pads(x, p, 0);
  auto grads = at::convolution_backward(dy, x, w, c10::nullopt, {c.i32(6), c.i32(7)}, padding.aten, {1, 1},
                                        false, {0, 0}, 1, {true, false, false});
  return c.result(to_nhwc(crop(std::get<0>(grads), p, padding, h, wd)));
}

// conv2dBackpropFilter(x, dy, filterH, filterW, strideH, strideW, dilationH, dilationW,
//                      top, bottom, left, right) -> HWIO
GB_EXPORT(conv2dBackpropFilter) {
  at::Tensor x = to_nchw(c.tensor(0));
  const at::Tensor dy = to_nchw(c.tensor(1));
  const Padding padding = prepare_pads(x, pads_at(c, 8), 0);
  const at::Tensor shape_of_w = at::empty({dy.size(1), x.size(1), c.i32(2), c.i32(3)}, dy.options());
  auto grads = at::convolution_backward(dy, x, shape_of_w, c10::nullopt, {c.i32(4), c.i32(5)}, padding.aten,
                                        {c.i32(6), c.i32(7)}, false, {0, 0}, 1, {false, true, false});
  return c.result(std::get<1>(grads).permute({2, 3, 1, 0}));
}

namespace {
constexpr double kMinusInf = -std::numeric_limits<double>::infinity();

struct Pool {
  std::vector<int64_t> kernel, stride;
  Pads pads;
};

// Pool geometry from arguments i.. (filterH, filterW, strideH, strideW, top, bottom, left, right).
Pool pool_at(Call& c, size_t i) { return {{c.i32(i), c.i32(i + 1)}, {c.i32(i + 2), c.i32(i + 3)}, pads_at(c, i + 4)}; }

// ATen's pooling takes at most half the window as padding.
Padding prepare_pool_pads(at::Tensor& x, const Pool& pool, double value) {
  return prepare_pads(x, pool.pads, value, pool.kernel[0] / 2, pool.kernel[1] / 2);
}
}  // namespace

// maxPool(x, filterH, filterW, strideH, strideW, top, bottom, left, right, outH, outW)
GB_EXPORT(maxPool) {
  at::Tensor x = to_nchw(c.tensor(0));
  const Pool pool = pool_at(c, 1);
  const Padding padding = prepare_pool_pads(x, pool, kMinusInf);
  at::Tensor y = to_nhwc(at::max_pool2d(x, pool.kernel, pool.stride, padding.aten));
  check_output(y, c.i32(9), c.i32(10), "MaxPool");
  return c.result(y);
}

// maxPoolGrad(dy, x, filterH, filterW, strideH, strideW, top, bottom, left, right):
// each output's gradient goes to the first maximum of its window, as in tfjs.
GB_EXPORT(maxPoolGrad) {
  const at::Tensor dy = to_nchw(c.tensor(0));
  at::Tensor x = to_nchw(c.tensor(1));
  const int64_t h = x.size(2), w = x.size(3);
  const Pool pool = pool_at(c, 2);
  const Padding padding = prepare_pool_pads(x, pool, kMinusInf);
  auto pooled = at::max_pool2d_with_indices(x, pool.kernel, pool.stride, padding.aten);
  at::Tensor dx = at::max_pool2d_with_indices_backward(dy, x, pool.kernel, pool.stride, padding.aten, {1, 1}, false, std::get<1>(pooled));
  return c.result(to_nhwc(crop(dx, pool.pads, padding, h, w)));
}

// avgPool(x, filterH, filterW, strideH, strideW, top, bottom, left, right, outH, outW):
// padding is not counted in the average, as in tfjs.
GB_EXPORT(avgPool) {
  at::Tensor x = to_nchw(c.tensor(0));
  const Pool pool = pool_at(c, 1);
  const int64_t h = x.size(2), w = x.size(3);
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
  check_output(y, c.i32(9), c.i32(10), "AvgPool");
  return c.result(y);
}

// avgPoolGrad(dy, x, filterH, filterW, strideH, strideW, top, bottom, left, right):
// each window's gradient is spread over its cells divided by the full filter area, padding
// cells included (and dropped), as tfjs' cpu kernel does; it is not the exact gradient of
// AvgPool where windows overlap the padding.
GB_EXPORT(avgPoolGrad) {
  const at::Tensor dy = to_nchw(c.tensor(0));
  at::Tensor x = to_nchw(c.tensor(1));
  const int64_t h = x.size(2), w = x.size(3);
  const Pool pool = pool_at(c, 2);
  const Padding padding = prepare_pool_pads(x, pool, 0);
  at::Tensor dx = at::avg_pool2d_backward(dy, x, pool.kernel, pool.stride, padding.aten, false, /*count_include_pad=*/true, c10::nullopt);
  return c.result(to_nhwc(crop(dx, pool.pads, padding, h, w)));
}

}  // namespace gblend
