// The element-wise arithmetic of the fused optimizers (ops_optim.cc), shared with the
// whole training step of an MLP (mlp_step.cc), so that both update weights alike.
#pragma once

#include "common.h"

namespace gblend {

// Whether t may be written in place: nothing else holds it (the table's slot is its only
// owner) or its memory (no view of it under another id), and it is dense float32.
bool exclusive(const at::Tensor& t);

struct AdamConstants {
  float neg_lr, beta1, beta2, one_minus_beta1, one_minus_beta2, eps, wd, c1, c2;
};

// From the step's arguments as JavaScript passes them: c1 = 1 - beta1^t, c2 = 1 - beta2^t.
AdamConstants adam_constants(double lr, double beta1, double beta2, double epsilon, double weight_decay, double c1, double c2);

// tfjs' Adam over n elements: src the weights, g the gradient (nullptr: zeros), m and v
// updated in place, the new weights to out (which may be src).
void adam_update(const AdamConstants& k, const float* src, const float* g, float* m, float* v, float* out, int64_t n);

// tfjs' (non-Nesterov) momentum: acc = momentum * acc + (g + wd * w); out = w - lr * acc.
void momentum_update(float neg_lr, float momentum, float wd, const float* src, const float* g, float* acc, float* out, int64_t n);

}  // namespace gblend
