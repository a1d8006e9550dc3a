// Matrix products and convolutions, with their backprop kernels. Every kernel checks
// ranks, dtypes and geometry itself (nn_common.h) before ATen or oneDNN sees the data,
// and blocks signals while oneDNN may run (signals.h).
#include "checks.h"
#include "common.h"
#include "gemm.h"
#include "nn_common.h"
#include "signals.h"

#include <ATen/ExpandUtils.h>

#include <string>

namespace gblend {
namespace {

// The shape of a (batch) product: the broadcast batch dimensions, then [m, n].
std::vector<int64_t> product_shape(const at::Tensor& a, const at::Tensor& b) {
  if (a.dim() < 2 || b.dim() < 2 || a.size(-1) != b.size(-2)) {
    fail("matMul: inner dimensions of shapes " + shape_string(a.sizes()) + " and " + shape_string(b.sizes()) + " must match (rank 2 or more)");
  }
  check_same_dtype(a, b, "matMul");
  const auto batch_a = a.sizes().slice(0, a.dim() - 2), batch_b = b.sizes().slice(0, b.dim() - 2);
  if (!broadcasts_to(batch_a, at::infer_size(batch_a, batch_b)) || !broadcasts_to(batch_b, at::infer_size(batch_a, batch_b))) {
    fail("matMul: batch dimensions of " + shape_string(a.sizes()) + " and " + shape_string(b.sizes()) + " do not broadcast");
  }
  std::vector<int64_t> out = at::infer_size(batch_a, batch_b);
  out.push_back(a.size(-2));
  out.push_back(b.size(-1));
  check_shape(out, "matMul");
  return out;
}

}  // namespace

// matmul(a, b, transposeA, transposeB, bias, activation, alpha, preluWeights)
// BatchMatMul and _FusedMatMul; bias and prelu are ids or -1.
GB_EXPORT(matmul) {
  at::Tensor a = c.tensor(0);
  at::Tensor b = c.tensor(1);
  if (a.dim() < 2 || b.dim() < 2) fail("matMul: operands must have rank 2 or more");
  if (c.flag(2)) a = a.transpose(-2, -1);
  if (c.flag(3)) b = b.transpose(-2, -1);
  const std::vector<int64_t> out = product_shape(a, b);
  const auto bias = c.maybe_tensor(4);
  const auto prelu = c.maybe_tensor(7);
  check_addend(bias, out, "matMul bias");
  check_addend(prelu, out, "matMul prelu weights");
  // Signals: dnnl_mm blocks them itself; other products run on the BLAS, not oneDNN.
  const at::Tensor y = matmul(a, b, bias);
  return c.result(activate(y, c.i32(5), c.f64(6), prelu));
}

// conv2d(x, filter, bias, strideH, strideW, dilationH, dilationW, top, bottom, left, right,
//        outH, outW, activation, alpha, preluWeights)
GB_EXPORT(conv2d) {
  const at::Tensor& x_nhwc = c.tensor(0);
  const at::Tensor& filter = c.tensor(1);
  check_image(x_nhwc, "Conv2D input");
  check_image(filter, "Conv2D filter");
  if (filter.size(2) != x_nhwc.size(3)) fail("Conv2D: filter " + shape_string(filter.sizes()) + " does not take " + std::to_string(x_nhwc.size(3)) + " channels");
  const Pads p = pads_at(c, 7);
  const int64_t sh = c.i32(3), sw = c.i32(4), dh = c.i32(5), dw = c.i32(6);
  const int64_t oh = window_output(x_nhwc.size(1), p.top + p.bottom, filter.size(0), sh, dh, "Conv2D");
  const int64_t ow = window_output(x_nhwc.size(2), p.left + p.right, filter.size(1), sw, dw, "Conv2D");
  const std::vector<int64_t> out{x_nhwc.size(0), oh, ow, filter.size(3)};
  check_shape(out, "Conv2D");
  const auto bias = c.maybe_tensor(2);
  const auto prelu = c.maybe_tensor(15);
  check_addend(bias, out, "Conv2D bias");
  check_addend(prelu, out, "Conv2D prelu weights");
  if (oh != c.i32(11) || ow != c.i32(12)) fail("Conv2D: output " + shape_string(out) + " differs from tfjs' size " + std::to_string(c.i32(11)) + "x" + std::to_string(c.i32(12)));
  if (x_nhwc.numel() == 0 || filter.numel() == 0) {
    // Nothing to convolve (ATen refuses empty batches and channels): zeros, plus the bias.
    at::Tensor y = at::zeros(out, x_nhwc.options());
    if (bias) y = y + *bias;
    return c.result(activate(y, c.i32(13), c.f64(14), prelu));
  }
  at::Tensor x = to_nchw(x_nhwc);
  const at::Tensor w = filter.permute({3, 2, 0, 1});
  // ATen adds a bias of one value per output channel; tfjs allows any broadcastable one.
  const bool per_channel = bias && bias->dim() == 1 && bias->size(0) == w.size(0);
  SignalsBlocked blocked;
  const Padding padding = prepare_pads(x, p, 0);
  at::Tensor y = to_nhwc(at::conv2d(x, w, per_channel ? bias : c10::nullopt, {sh, sw}, padding.aten, {dh, dw}));
  check_output(y, oh, ow, "Conv2D");
  if (bias && !per_channel) y = y + *bias;
  return c.result(activate(y, c.i32(13), c.f64(14), prelu));
}

// conv2dBackpropInput(dy, filter, batch, inH, inW, inC, strideH, strideW, top, bottom, left, right)
GB_EXPORT(conv2dBackpropInput) {
  const at::Tensor& dy_nhwc = c.tensor(0);
  const at::Tensor& filter = c.tensor(1);
  check_image(filter, "Conv2DBackpropInput filter");
  const int64_t n = c.i32(2), h = c.i32(3), wd = c.i32(4), ch = c.i32(5), sh = c.i32(6), sw = c.i32(7);
  const std::vector<int64_t> in{n, h, wd, ch};
  check_shape(in, "Conv2DBackpropInput");
  if (filter.size(2) != ch) fail("Conv2DBackpropInput: filter " + shape_string(filter.sizes()) + " does not take " + std::to_string(ch) + " channels");
  const Pads p = pads_at(c, 8);
  const int64_t oh = window_output(h, p.top + p.bottom, filter.size(0), sh, 1, "Conv2DBackpropInput");
  const int64_t ow = window_output(wd, p.left + p.right, filter.size(1), sw, 1, "Conv2DBackpropInput");
  check_gradient(dy_nhwc, {n, oh, ow, filter.size(3)}, "Conv2DBackpropInput");
  if (dy_nhwc.numel() == 0 || filter.numel() == 0 || n * h * wd * ch == 0) return c.result(at::zeros(in, filter.options()));
  const at::Tensor dy = to_nchw(dy_nhwc);
  const at::Tensor w = filter.permute({3, 2, 0, 1});
  // Only the input's shape and memory layout matter for the input gradient.
  at::Tensor x = at::empty({n, ch, h, wd}, dy.options().memory_format(at::MemoryFormat::ChannelsLast));
  SignalsBlocked blocked;
  const Padding padding = prepare_pads(x, p, 0);
  auto grads = at::convolution_backward(dy, x, w, c10::nullopt, {sh, sw}, padding.aten, {1, 1}, false, {0, 0}, 1, {true, false, false});
  return c.result(to_nhwc(crop(std::get<0>(grads), p, padding, h, wd)));
}

// conv2dBackpropFilter(x, dy, filterH, filterW, strideH, strideW, dilationH, dilationW,
//                      top, bottom, left, right, inChannels, outChannels) -> HWIO
GB_EXPORT(conv2dBackpropFilter) {
  const at::Tensor& x_nhwc = c.tensor(0);
  const at::Tensor& dy_nhwc = c.tensor(1);
  check_image(x_nhwc, "Conv2DBackpropFilter input");
  check_rank(dy_nhwc, 4, "Conv2DBackpropFilter gradient");
  const int64_t fh = c.i32(2), fw = c.i32(3), sh = c.i32(4), sw = c.i32(5), dh = c.i32(6), dw = c.i32(7);
  const Pads p = pads_at(c, 8);
  const int64_t oh = window_output(x_nhwc.size(1), p.top + p.bottom, fh, sh, dh, "Conv2DBackpropFilter");
  const int64_t ow = window_output(x_nhwc.size(2), p.left + p.right, fw, sw, dw, "Conv2DBackpropFilter");
  const int64_t in_c = c.i32(12), out_c = c.i32(13);
  if (in_c != x_nhwc.size(3)) fail("Conv2DBackpropFilter: a filter of " + std::to_string(in_c) + " input channels for an input of " + std::to_string(x_nhwc.size(3)));
  check_gradient(dy_nhwc, {x_nhwc.size(0), oh, ow, out_c}, "Conv2DBackpropFilter");
  const std::vector<int64_t> shape{fh, fw, in_c, out_c};
  check_shape(shape, "Conv2DBackpropFilter");
  if (x_nhwc.numel() == 0 || dy_nhwc.numel() == 0) return c.result(at::zeros(shape, x_nhwc.options()));
  at::Tensor x = to_nchw(x_nhwc);
  const at::Tensor dy = to_nchw(dy_nhwc);
  const at::Tensor shape_of_w = at::empty({dy.size(1), x.size(1), fh, fw}, dy.options());
  SignalsBlocked blocked;
  const Padding padding = prepare_pads(x, p, 0);
  auto grads = at::convolution_backward(dy, x, shape_of_w, c10::nullopt, {sh, sw}, padding.aten, {dh, dw}, false, {0, 0}, 1, {false, true, false});
  return c.result(std::get<1>(grads).permute({2, 3, 1, 0}));
}

}  // namespace gblend
