// Fused optimizer steps: one pass over a variable and its state per step, in place of
// the dozen element-wise kernels tfjs' optimizers run. The arithmetic follows tfjs-core
// 4.22's AdamOptimizer and MomentumOptimizer operation by operation, in float32, so the
// results match theirs to rounding (src/engine/native/fused-optimizer.ts).
#include "optim.h"

#include <ATen/Parallel.h>

#include <cmath>
#include <initializer_list>
#include <string>

namespace gblend {

bool exclusive(const at::Tensor& t) {
  return t.use_count() == 1 && t.storage().use_count() == 1 && t.is_contiguous() && t.storage_offset() == 0 &&
         t.scalar_type() == at::kFloat;
}

namespace {

// Optimizer state: made by the optimizer, never shared; anything else is a bug.
float* state(const at::Tensor& s, int64_t n, const char* what) {
  if (!exclusive(s) || s.numel() != n) fail(std::string("internal: optimizer ") + what + " is shared or mis-shaped");
  return s.data_ptr<float>();
}

// The gradient as a dense float32 tensor of n elements (undefined where there is none).
at::Tensor gradient(const c10::optional<at::Tensor>& g, int64_t n) {
  if (!g) return at::Tensor();
  if (g->scalar_type() != at::kFloat || g->numel() != n) fail("optimizer step: the gradient must be float32 and of the variable's size");
  return g->contiguous();
}

// The variable, gradient and state ids of a step name different tensors (-1: none).
void check_distinct(std::initializer_list<int32_t> ids) {
  for (auto i = ids.begin(); i != ids.end(); ++i) {
    for (auto j = i + 1; j != ids.end(); ++j) {
      if (*i != -1 && *i == *j) fail("optimizer step: tensor " + std::to_string(*i) + " passed twice");
    }
  }
}

// Where the new weights go: the variable itself where it is not shared, else fresh memory
// (returned as `fresh`, for JavaScript to assign to the variable).
struct Target {
  at::Tensor source;  // the current weights, dense
  at::Tensor fresh;   // defined when the update does not happen in place
  float* out;
};

Target target(const at::Tensor& w, bool copy) {
  if (w.scalar_type() != at::kFloat) fail("optimizer step: variables must be float32");
  Target t;
  if (!copy && exclusive(w)) {
    t.source = w;
    t.out = w.data_ptr<float>();
  } else {
    t.source = w.contiguous();
    t.fresh = at::empty(w.sizes(), at::TensorOptions().dtype(at::kFloat));
    t.out = t.fresh.data_ptr<float>();
  }
  return t;
}

GB_MULTIVERSION
void adam_range(const AdamConstants& k, const float* src, const float* __restrict gp, float* __restrict m,
                float* __restrict v, float* out, int64_t begin, int64_t end) {
  // out is src when the update is in place: element i reads src[i] before writing out[i]
  // and touches no other element, so there is no dependence between iterations.
#pragma GCC ivdep
  for (int64_t i = begin; i < end; i++) {
    const float wi = src[i];
    float gi = gp != nullptr ? gp[i] : 0.0f;
    if (k.wd != 0.0f) gi = gi + wi * k.wd;
    const float mi = m[i] * k.beta1 + gi * k.one_minus_beta1;
    const float vi = v[i] * k.beta2 + (gi * gi) * k.one_minus_beta2;
    m[i] = mi;
    v[i] = vi;
    const float mhat = mi / k.c1;
    const float vhat = vi / k.c2;
    out[i] = (mhat / (std::sqrt(vhat) + k.eps)) * k.neg_lr + wi;
  }
}

GB_MULTIVERSION
void momentum_range(float neg_lr, float momentum, float wd, const float* src, const float* __restrict gp, float* __restrict acc,
                    float* out, int64_t begin, int64_t end) {
  // In place as adam_range: element i reads src[i] before writing out[i].
#pragma GCC ivdep
  for (int64_t i = begin; i < end; i++) {
    const float wi = src[i];
    float gi = gp != nullptr ? gp[i] : 0.0f;
    if (wd != 0.0f) gi = gi + wi * wd;
    const float ai = momentum * acc[i] + gi;
    acc[i] = ai;
    out[i] = neg_lr * ai + wi;
  }
}

}  // namespace

AdamConstants adam_constants(double lr, double beta1, double beta2, double epsilon, double weight_decay, double c1, double c2) {
  AdamConstants k;
  k.neg_lr = static_cast<float>(-lr);
  k.beta1 = static_cast<float>(beta1);
  k.beta2 = static_cast<float>(beta2);
  k.one_minus_beta1 = static_cast<float>(1 - beta1);
  k.one_minus_beta2 = static_cast<float>(1 - beta2);
  k.eps = static_cast<float>(epsilon);
  k.wd = static_cast<float>(weight_decay);
  k.c1 = static_cast<float>(c1);
  k.c2 = static_cast<float>(c2);
  return k;
}

void adam_update(const AdamConstants& k, const float* src, const float* g, float* m, float* v, float* out, int64_t n) {
  at::parallel_for(0, n, at::internal::GRAIN_SIZE / 4, [&](int64_t begin, int64_t end) { adam_range(k, src, g, m, v, out, begin, end); });
}

void momentum_update(float neg_lr, float momentum, float wd, const float* src, const float* g, float* acc, float* out, int64_t n) {
  at::parallel_for(0, n, at::internal::GRAIN_SIZE / 4, [&](int64_t begin, int64_t end) { momentum_range(neg_lr, momentum, wd, src, g, acc, out, begin, end); });
}

namespace {

// adamStep(w, g, m, v, lr, beta1, beta2, epsilon, weightDecay, 1 - beta1^t, 1 - beta2^t, copy)
//   g: gradient id, or -1 for none (a zero gradient); the weight decay is added to it
//   (g + weightDecay * w). m and v are updated in place. Returns -1 when w was updated in
//   place, else the id of the new weights (w unchanged; its record is in io).
GB_EXPORT(adamStep) {
  check_distinct({c.i32(0), c.i32(1), c.i32(2), c.i32(3)});
  const at::Tensor& w = c.tensor(0);
  const int64_t n = w.numel();
  const at::Tensor g = gradient(c.maybe_tensor(1), n);
  float* m = state(c.tensor(2), n, "first moment");
  float* v = state(c.tensor(3), n, "second moment");
  const AdamConstants k = adam_constants(c.f64(4), c.f64(5), c.f64(6), c.f64(7), c.f64(8), c.f64(9), c.f64(10));
  Target t = target(w, c.flag(11));
  const float* src = t.source.data_ptr<float>();
  const float* gp = g.defined() ? g.data_ptr<float>() : nullptr;
  float* out = t.out;
  adam_update(k, src, gp, m, v, out, n);
  return t.fresh.defined() ? c.result(t.fresh) : c.number(-1);
}

// momentumStep(w, g, accumulation, lr, momentum, weightDecay, copy): tfjs' (non-Nesterov)
// MomentumOptimizer, accumulation = momentum * accumulation + g; w = w - lr * accumulation.
// g and the return value as in adamStep.
GB_EXPORT(momentumStep) {
  check_distinct({c.i32(0), c.i32(1), c.i32(2)});
  const at::Tensor& w = c.tensor(0);
  const int64_t n = w.numel();
  const at::Tensor g = gradient(c.maybe_tensor(1), n);
  float* acc = state(c.tensor(2), n, "accumulation");
  const float neg_lr = static_cast<float>(-c.f64(3));
  const float momentum = static_cast<float>(c.f64(4));
  const float wd = static_cast<float>(c.f64(5));
  Target t = target(w, c.flag(6));
  const float* src = t.source.data_ptr<float>();
  const float* gp = g.defined() ? g.data_ptr<float>() : nullptr;
  float* out = t.out;
  momentum_update(neg_lr, momentum, wd, src, gp, acc, out, n);
  return t.fresh.defined() ? c.result(t.fresh) : c.number(-1);
}

}  // namespace
}  // namespace gblend
