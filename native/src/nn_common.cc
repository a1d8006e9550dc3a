// Shared pieces of the nn kernels (nn_common.h).
#include "nn_common.h"

#include "checks.h"
#include "codes.h"

#include <string>

namespace gblend {

at::Tensor activate(at::Tensor y, int32_t act, double alpha, const c10::optional<at::Tensor>& prelu) {
  switch (act) {
    case kLinear: return y;
    case kActRelu: return at::relu_(y);
    case kActRelu6: return at::clamp_(y, 0, 6);
    case kActElu: return at::elu(y);
    case kActLeakyRelu: return at::leaky_relu(y, alpha);
    case kActPrelu:
      if (!prelu) fail("prelu activation without weights");
      check_addend(prelu, y.sizes(), "prelu weights");
      return at::where(y < 0, y * *prelu, y);
    case kActSigmoid: return at::sigmoid_(y);
    default: fail("unknown activation " + std::to_string(act));
  }
}

void check_addend(const c10::optional<at::Tensor>& t, at::IntArrayRef out, const char* what) {
  if (!t) return;
  check_dtype(*t, at::kFloat, what);
  if (!broadcasts_to(t->sizes(), out)) fail(std::string(what) + ": shape " + shape_string(t->sizes()) + " does not broadcast to " + shape_string(out));
}

Pads pads_at(Call& c, size_t i) {
  const Pads p{c.i32(i), c.i32(i + 1), c.i32(i + 2), c.i32(i + 3)};
  for (const int64_t v : {p.top, p.bottom, p.left, p.right}) check_at_least(v, 0, "padding");
  return p;
}

Padding prepare_pads(at::Tensor& x, const Pads& p, double value, int64_t max_h, int64_t max_w) {
  if (p.top == p.bottom && p.left == p.right && p.top <= max_h && p.left <= max_w) return {{p.top, p.left}, false};
  const int64_t padded[] = {x.size(0), x.size(1), x.size(2) + p.top + p.bottom, x.size(3) + p.left + p.right};
  check_shape(padded, "padded input");
  x = at::constant_pad_nd(x, {p.left, p.right, p.top, p.bottom}, value);
  return {{0, 0}, true};
}

at::Tensor crop(const at::Tensor& dx, const Pads& p, const Padding& padding, int64_t h, int64_t w) {
  if (!padding.explicit_pads) return dx;
  return dx.narrow(2, p.top, h).narrow(3, p.left, w);
}

int64_t window_output(int64_t in, int64_t pads, int64_t window, int64_t stride, int64_t dilation, const char* what) {
  check_at_least(window, 1, what);
  check_at_least(stride, 1, what);
  check_at_least(dilation, 1, what);
  const int64_t span = dilation * (window - 1) + 1;
  if (in + pads < span) fail(std::string(what) + ": a window of " + std::to_string(span) + " does not fit " + std::to_string(in + pads) + " cells");
  return (in + pads - span) / stride + 1;
}

void check_image(const at::Tensor& t, const char* what) {
  check_rank(t, 4, what);
  check_dtype(t, at::kFloat, what);
}

void check_output(const at::Tensor& y, int64_t oh, int64_t ow, const char* what) {
  if (y.size(1) != oh || y.size(2) != ow) {
    fail(std::string(what) + ": output " + std::to_string(y.size(1)) + "x" + std::to_string(y.size(2)) +
         " differs from tfjs' " + std::to_string(oh) + "x" + std::to_string(ow));
  }
}

void check_gradient(const at::Tensor& dy, std::vector<int64_t> shape, const char* what) {
  if (dy.dim() != 4 || dy.sizes() != at::IntArrayRef(shape)) {
    fail(std::string(what) + ": gradient of shape " + shape_string(dy.sizes()) + " where the output is " + shape_string(shape));
  }
  check_dtype(dy, at::kFloat, what);
}

}  // namespace gblend
