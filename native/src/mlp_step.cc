// A whole training step of a multi-head MLP model in one call: gather the batch, the
// forward pass of every encoder and head, each head's cross-entropy, the blended
// gradient by hand, and the optimizer's update of every weight. Through tfjs a small
// step of the same model is some 230 kernels, each with the engine's bookkeeping, and
// costs several times its arithmetic (docs/small-models.md); here it is one crossing.
//
// The model arrives as a plan in the io buffer (written by src/engine/native/mlp-plan.ts
// from the same tfjs-layers layers the saved model holds), re-read and re-checked at
// every call: nothing of it is kept between calls, so a weight JavaScript re-assigned is
// simply the tensor of the id it passes next time. Layout (doubles):
//
//   2, E (encoders), H (heads), labels id (float32 [N, C]: one-hot), B (batch rows)
//   per encoder: data id (float32 [N, ...]: rows of the modality), chain
//   per head:    source (an encoder's index, or -1: every encoder's output concatenated
//                in order), chain, coefficient, gradient scale
//   a chain:     input dropout (rate, seed), L, L x (kernel, bias, act, dropout rate, seed)
//   B row indices
//   mlpStep only: optimizer kind (0 momentum, 1 Adam), then per variable (every layer's
//   kernel then bias, encoders first, in plan order) its state ids (1 or 2) and a copy flag
//
// A layer is y = act(x kernel + bias), kernel [in, out], act 0 (linear) or 1 (ReLU), as
// tfjs-layers' Dense, then dropout where its rate is above 0: tf.dropout's arithmetic,
// y * floor(u + keep) / keep in float32, with u drawn as tf.randomUniform(shape, 0, 1,
// 'float32', seed) draws it (seedrandom's Alea seeded with the seed's decimal string, one
// value per element in row-major order), so that the masks are tfjs' own, bit for bit. The step's loss is sum_h coef_h * mean_rows CE_h, and the gradient
// flowing from head h into the encoders is multiplied by its gradient scale, as
// src/train/blended-loss.ts builds them (heads of coefficient 0 add no term). The update
// is ops_optim.cc's arithmetic; a variable without a gradient steps with zeros, as with
// the fused optimizer.
#include "checks.h"
#include "codes.h"
#include "common.h"
#include "gemm.h"
#include "optim.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace gblend {
namespace {

constexpr double kPlanVersion = 2;
// Bounds on the plan's counts: far above any model, low enough that a corrupt count fails
// at once instead of reserving memory.
constexpr int64_t kMaxParts = 256;

// JavaScript's ToUint32 and ToInt32 of a finite double (`x >>> 0`, `x | 0`).
uint32_t to_uint32(double v) {
  double m = std::fmod(std::trunc(v), 4294967296.0);
  if (m < 0) m += 4294967296.0;
  return static_cast<uint32_t>(m);
}

int32_t to_int32(double v) { return static_cast<int32_t>(to_uint32(v)); }

// seedrandom 3.0.5's Alea and its Mash, as tf.randomUniform uses them, in the same double
// arithmetic (binding.gyp keeps contraction to FMA off, so each operation rounds as in JS).
class Alea {
 public:
  explicit Alea(const std::string& seed) {
    s0_ = mash(" ");
    s1_ = mash(" ");
    s2_ = mash(" ");
    s0_ -= mash(seed);
    if (s0_ < 0) s0_ += 1;
    s1_ -= mash(seed);
    if (s1_ < 0) s1_ += 1;
    s2_ -= mash(seed);
    if (s2_ < 0) s2_ += 1;
  }

  double next() {
    const double t = 2091639 * s0_ + c_ * 2.3283064365386963e-10;
    s0_ = s1_;
    s1_ = s2_;
    c_ = static_cast<double>(to_int32(t));
    s2_ = t - c_;
    return s2_;
  }

 private:
  // The seed strings here are ASCII (a space, decimal digits): a byte is a UTF-16 code unit.
  double mash(const std::string& data) {
    for (const unsigned char ch : data) {
      n_ += ch;
      double h = 0.02519603282416938 * n_;
      n_ = to_uint32(h);
      h -= n_;
      h *= n_;
      n_ = to_uint32(h);
      h -= n_;
      n_ += h * 4294967296.0;
    }
    return to_uint32(n_) * 2.3283064365386963e-10;
  }

  double n_ = 4022871197.0;  // 0xefc8249d
  double s0_ = 0, s1_ = 0, s2_ = 0, c_ = 1;
};

// A dropout point: rate 0 is none.
struct Dropout {
  double rate = 0;
  int64_t seed = 0;
};

// tf.dropout's multiplier for `count` elements: floor(u + keep) / keep, in float32.
at::Tensor dropout_mask(const Dropout& d, int64_t rows, int64_t cols) {
  at::Tensor mask = at::empty({rows, cols}, at::TensorOptions().dtype(at::kFloat));
  float* m = mask.data_ptr<float>();
  const float keep = static_cast<float>(1 - d.rate);
  Alea alea(std::to_string(d.seed));
  for (int64_t i = 0, n = rows * cols; i < n; i++) {
    const float u = static_cast<float>(alea.next());
    m[i] = std::floor(u + keep) / keep;
  }
  return mask;
}

// Multiplies dense x by dense mask of the same size, in place.
void multiply_in_place(at::Tensor& x, const at::Tensor& mask) {
  float* p = x.data_ptr<float>();
  const float* m = mask.data_ptr<float>();
  for (int64_t i = 0, n = x.numel(); i < n; i++) p[i] = p[i] * m[i];
}

// Reads the plan's numbers in order, each checked before use.
class PlanReader {
 public:
  explicit PlanReader(std::vector<double> words) : words_(std::move(words)) {}

  int64_t integer(const std::string& what, int64_t least, int64_t most) {
    const double v = take(what);
    if (!(std::isfinite(v) && v == std::trunc(v) && v >= static_cast<double>(least) && v <= static_cast<double>(most))) {
      fail("mlp plan: " + what + " must be an integer in [" + std::to_string(least) + ", " + std::to_string(most) + "], got " + std::to_string(v));
    }
    return static_cast<int64_t>(v);
  }

  double real(const std::string& what) {
    const double v = take(what);
    if (!std::isfinite(v)) fail("mlp plan: " + what + " must be finite");
    return v;
  }

  void expect_end() const {
    if (at_ != words_.size()) fail("mlp plan: " + std::to_string(words_.size() - at_) + " numbers left over");
  }

 private:
  double take(const std::string& what) {
    if (at_ >= words_.size()) fail("mlp plan: ends before " + what);
    return words_[at_++];
  }

  std::vector<double> words_;
  size_t at_ = 0;
};

// Pointers into the tensor table: the plan holds no reference of its own, so that the
// update can tell (use_count) whether anything else holds a weight.
struct Layer {
  const at::Tensor* kernel;
  const at::Tensor* bias;
  int32_t kernel_id, bias_id;
  bool relu;
  Dropout dropout;  // on the layer's output
};

struct Chain {
  Dropout input_dropout;
  std::vector<Layer> layers;
  int64_t in_width = 0;
  int64_t out_width = 0;
};

struct EncoderPlan {
  at::Tensor data;  // [N, F], contiguous (the table's tensor when it already is)
  int32_t data_id;
  Chain chain;
};

struct HeadPlan {
  int64_t source;  // an encoder's index, or -1 for all of them concatenated
  Chain chain;
  double coef, grad_scale;
};

struct Plan {
  at::Tensor labels;  // [N, C], contiguous
  int32_t labels_id;
  int64_t n = 0, classes = 0;
  std::vector<EncoderPlan> encoders;
  std::vector<HeadPlan> heads;
  std::vector<int64_t> rows;
};

const at::Tensor& float_tensor(int64_t id, const std::string& what) {
  const at::Tensor& t = get(static_cast<int32_t>(id));
  if (t.scalar_type() != at::kFloat) fail("mlp plan: " + what + " must be float32, got " + c10::toString(t.scalar_type()));
  return t;
}

Dropout read_dropout(PlanReader& r, const std::string& what) {
  Dropout d;
  d.rate = r.real(what + " dropout rate");
  if (!(d.rate >= 0 && d.rate < 1)) fail("mlp plan: " + what + " dropout rate must be in [0, 1), got " + std::to_string(d.rate));
  d.seed = r.integer(what + " dropout seed", 0, INT32_MAX);
  return d;
}

Chain read_chain(PlanReader& r, int64_t in_width, const std::string& where) {
  Chain chain;
  chain.in_width = in_width;
  chain.input_dropout = read_dropout(r, where + " input");
  const int64_t count = r.integer(where + " layer count", 1, kMaxParts);
  int64_t width = in_width;
  for (int64_t i = 0; i < count; i++) {
    const std::string what = where + " layer " + std::to_string(i);
    Layer layer;
    layer.kernel_id = static_cast<int32_t>(r.integer(what + " kernel id", 0, INT32_MAX));
    layer.bias_id = static_cast<int32_t>(r.integer(what + " bias id", 0, INT32_MAX));
    layer.kernel = &float_tensor(layer.kernel_id, what + " kernel");
    layer.bias = &float_tensor(layer.bias_id, what + " bias");
    const int64_t act = r.integer(what + " activation", kLinear, kActRelu);
    layer.relu = act == kActRelu;
    layer.dropout = read_dropout(r, what);
    const at::Tensor& k = *layer.kernel;
    if (k.dim() != 2 || k.size(0) != width) {
      fail("mlp plan: " + what + " kernel has shape " + shape_string(k.sizes()) + ", expected [" + std::to_string(width) + ", units]");
    }
    if (layer.bias->dim() != 1 || layer.bias->size(0) != k.size(1)) {
      fail("mlp plan: " + what + " bias has shape " + shape_string(layer.bias->sizes()) + ", expected [" + std::to_string(k.size(1)) + "]");
    }
    width = k.size(1);
    chain.layers.push_back(layer);
  }
  chain.out_width = width;
  return chain;
}

Plan read_plan(PlanReader& r) {
  Plan plan;
  if (r.real("the version") != kPlanVersion) fail("mlp plan: unknown version (the addon is out of date?)");
  const int64_t encoders = r.integer("the encoder count", 1, kMaxParts);
  const int64_t heads = r.integer("the head count", 1, kMaxParts);
  plan.labels_id = static_cast<int32_t>(r.integer("the labels id", 0, INT32_MAX));
  const at::Tensor& labels = float_tensor(plan.labels_id, "the labels");
  if (labels.dim() != 2 || labels.size(0) < 1 || labels.size(1) < 1) fail("mlp plan: the labels must be [rows, classes], got " + shape_string(labels.sizes()));
  plan.labels = labels.contiguous();
  plan.n = labels.size(0);
  plan.classes = labels.size(1);
  const int64_t batch = r.integer("the batch size", 1, plan.n);
  for (int64_t e = 0; e < encoders; e++) {
    const std::string where = "encoder " + std::to_string(e);
    EncoderPlan enc;
    enc.data_id = static_cast<int32_t>(r.integer(where + " data id", 0, INT32_MAX));
    const at::Tensor& data = float_tensor(enc.data_id, where + " data");
    if (data.dim() < 1 || data.size(0) != plan.n) {
      fail("mlp plan: " + where + " data has shape " + shape_string(data.sizes()) + ", expected " + std::to_string(plan.n) + " rows like the labels");
    }
    enc.data = data.contiguous().view({plan.n, -1});
    enc.chain = read_chain(r, enc.data.size(1), where);
    plan.encoders.push_back(std::move(enc));
  }
  int64_t all_features = 0;
  for (const EncoderPlan& e : plan.encoders) all_features += e.chain.out_width;
  for (int64_t h = 0; h < heads; h++) {
    const std::string where = "head " + std::to_string(h);
    HeadPlan head;
    head.source = r.integer(where + " source", -1, encoders - 1);
    head.chain = read_chain(r, head.source < 0 ? all_features : plan.encoders[static_cast<size_t>(head.source)].chain.out_width, where);
    if (head.chain.out_width != plan.classes) {
      fail("mlp plan: " + where + " has " + std::to_string(head.chain.out_width) + " outputs for " + std::to_string(plan.classes) + " classes");
    }
    head.coef = r.real(where + " coefficient");
    head.grad_scale = r.real(where + " gradient scale");
    plan.heads.push_back(std::move(head));
  }
  plan.rows.reserve(static_cast<size_t>(batch));
  for (int64_t i = 0; i < batch; i++) plan.rows.push_back(r.integer("row " + std::to_string(i), 0, plan.n - 1));
  // Every activation is batch x width: refused here if that is too big to hold.
  for (const EncoderPlan& e : plan.encoders) for (const Layer& l : e.chain.layers) checked_count(batch, l.kernel->size(1), "mlp plan activation");
  checked_count(batch, all_features, "mlp plan fused input");
  return plan;
}

// The plan's layers in variable order: encoders', then heads', each layer's kernel then bias.
std::vector<const Layer*> layers_of(const Plan& plan) {
  std::vector<const Layer*> out;
  for (const EncoderPlan& e : plan.encoders) for (const Layer& l : e.chain.layers) out.push_back(&l);
  for (const HeadPlan& h : plan.heads) for (const Layer& l : h.chain.layers) out.push_back(&l);
  return out;
}

at::Tensor gather_rows(const at::Tensor& data, const std::vector<int64_t>& rows) {
  const int64_t width = data.size(1);
  at::Tensor out = at::empty({static_cast<int64_t>(rows.size()), width}, data.options());
  const float* src = data.data_ptr<float>();
  float* dst = out.data_ptr<float>();
  for (size_t i = 0; i < rows.size(); i++) std::memcpy(dst + i * width, src + rows[i] * width, static_cast<size_t>(width) * sizeof(float));
  return out;
}

// max(x, 0) that keeps NaN, as tfjs' and ATen's ReLU do: a NaN must reach the loss.
void relu_in_place(at::Tensor& y) {
  float* p = y.data_ptr<float>();
  const int64_t n = y.numel();
  for (int64_t i = 0; i < n; i++) p[i] = p[i] < 0.0f ? 0.0f : p[i];
}

// What a chain's backward pass needs of its forward pass: each layer's input (after the
// previous dropout), each layer's output before its dropout (ReLU's gradient reads it), and
// the dropout multipliers (undefined where there is no dropout; index 0: the chain's input).
struct ChainActs {
  std::vector<at::Tensor> inputs, outputs, masks;
};

// Runs a chain from x (its own tensor or one nobody writes: it is only written when the
// chain's input has dropout, and then a copy is).
at::Tensor forward_chain(const Chain& chain, at::Tensor x, ChainActs& acts) {
  acts = ChainActs();
  const int64_t rows = x.size(0);
  acts.masks.push_back(chain.input_dropout.rate > 0 ? dropout_mask(chain.input_dropout, rows, x.size(1)) : at::Tensor());
  if (acts.masks[0].defined()) {
    x = x.clone(at::MemoryFormat::Contiguous);
    multiply_in_place(x, acts.masks[0]);
  }
  for (const Layer& l : chain.layers) {
    acts.inputs.push_back(x);
    at::Tensor y = mm(x, *l.kernel, *l.bias);
    if (l.relu) relu_in_place(y);
    acts.outputs.push_back(y);
    acts.masks.push_back(l.dropout.rate > 0 ? dropout_mask(l.dropout, rows, y.size(1)) : at::Tensor());
    if (acts.masks.back().defined()) {
      y = y.clone();
      multiply_in_place(y, acts.masks.back());
    }
    x = y;
  }
  return x;
}

struct LayerGrads {
  at::Tensor kernel, bias;
};

// Sum over rows of g [B, n], in float as tfjs' Sum.
at::Tensor column_sums(const at::Tensor& g) {
  const int64_t rows = g.size(0), cols = g.size(1);
  at::Tensor out = at::zeros({cols}, g.options());
  const float* src = g.data_ptr<float>();
  float* dst = out.data_ptr<float>();
  for (int64_t i = 0; i < rows; i++) {
    const float* row = src + i * cols;
    for (int64_t j = 0; j < cols; j++) dst[j] += row[j];
  }
  return out;
}

// Back through a chain from the gradient at its output; returns the gradient at its input
// (undefined unless asked for). g must be a dense tensor nothing else reads.
at::Tensor backward_chain(const Chain& chain, const ChainActs& acts, at::Tensor g, LayerGrads* grads, bool want_input) {
  for (size_t i = chain.layers.size(); i-- > 0;) {
    const Layer& l = chain.layers[i];
    if (acts.masks[i + 1].defined()) multiply_in_place(g, acts.masks[i + 1]);
    if (l.relu) {
      // ReLU's gradient as tfjs takes it, dy * step(y), with step 1 where the output is positive,
      // NaN where it is NaN, else 0 (so a dy that is not finite gives NaN there). Selected, not
      // multiplied: with the product, small_mlp_step took half as long again (small gradients
      // are often subnormal, which x86 multiplies slowly).
      const float* y = acts.outputs[i].data_ptr<float>();
      float* gp = g.data_ptr<float>();
      const int64_t n = g.numel();
      const float nan = std::numeric_limits<float>::quiet_NaN();
      for (int64_t j = 0; j < n; j++) gp[j] = y[j] > 0.0f ? gp[j] : std::isnan(y[j]) ? y[j] : std::isfinite(gp[j]) ? 0.0f : nan;
    }
    grads[i].kernel = mm(acts.inputs[i].t(), g, c10::nullopt);
    grads[i].bias = column_sums(g);
    if (i > 0 || want_input) g = mm(g, l.kernel->t(), c10::nullopt);
  }
  if (!want_input) return at::Tensor();
  if (acts.masks[0].defined()) multiply_in_place(g, acts.masks[0]);
  return g;
}

// Each head's mean cross-entropy over the batch, and, where grad is given, its gradient
// times `factor` (the head's coefficient / B): factor * (softmax(z) * sum(y) - y) per row.
// Per-example losses go to `losses` (rows of B) when given. Float32 as tfjs' logSoftmax.
double cross_entropy(const at::Tensor& logits, const Plan& plan, float* losses, float* grad, float factor) {
  const int64_t classes = plan.classes;
  const float* z = logits.data_ptr<float>();
  const float* labels = plan.labels.data_ptr<float>();
  double total = 0;
  for (size_t i = 0; i < plan.rows.size(); i++) {
    const float* zi = z + i * classes;
    const float* yi = labels + plan.rows[i] * classes;
    float top = zi[0];
    for (int64_t c = 1; c < classes; c++) top = std::max(top, zi[c]);
    float sum = 0;
    for (int64_t c = 0; c < classes; c++) sum += std::exp(zi[c] - top);
    const float log_sum = std::log(sum);
    float loss = 0, label_sum = 0;
    for (int64_t c = 0; c < classes; c++) {
      loss -= yi[c] * (zi[c] - top - log_sum);
      label_sum += yi[c];
    }
    if (losses != nullptr) losses[i] = loss;
    total += loss;
    if (grad != nullptr) {
      float* gi = grad + i * classes;
      for (int64_t c = 0; c < classes; c++) gi[c] = factor * (std::exp(zi[c] - top - log_sum) * label_sum - yi[c]);
    }
  }
  return static_cast<float>(total / static_cast<double>(plan.rows.size()));
}

// The forward pass: every encoder's activations and every head's.
struct Forward {
  std::vector<ChainActs> encoder_acts;
  std::vector<ChainActs> head_acts;
  std::vector<at::Tensor> logits;
};

Forward forward(const Plan& plan) {
  Forward f;
  std::vector<at::Tensor> features;
  for (const EncoderPlan& e : plan.encoders) {
    f.encoder_acts.emplace_back();
    features.push_back(forward_chain(e.chain, gather_rows(e.data, plan.rows), f.encoder_acts.back()));
  }
  at::Tensor all;
  for (const HeadPlan& h : plan.heads) {
    at::Tensor x;
    if (h.source >= 0) {
      x = features[static_cast<size_t>(h.source)];
    } else {
      if (!all.defined()) all = features.size() == 1 ? features[0] : at::cat(features, 1);
      x = all;
    }
    f.head_acts.emplace_back();
    f.logits.push_back(forward_chain(h.chain, x, f.head_acts.back()));
  }
  return f;
}

// Adds `part` into `sum` (made from it on first use).
void accumulate(at::Tensor& sum, const at::Tensor& part) {
  if (!sum.defined()) sum = part.clone(at::MemoryFormat::Contiguous);
  else sum.add_(part);
}

struct Slots {
  std::vector<const at::Tensor*> tensors;
  bool copy = false;
};

float* slot_data(const at::Tensor& s, int64_t n) {
  if (!exclusive(s) || s.numel() != n) fail("mlp step: optimizer state is shared or does not match its variable");
  return s.data_ptr<float>();
}

// Every id a step writes (variables, optimizer state) appears once, and none is data it reads.
void check_distinct(const Plan& plan, const std::vector<const Layer*>& layers, const std::vector<int32_t>& state_ids) {
  std::vector<int32_t> written(state_ids);
  for (const Layer* l : layers) {
    written.push_back(l->kernel_id);
    written.push_back(l->bias_id);
  }
  std::sort(written.begin(), written.end());
  const auto twice = std::adjacent_find(written.begin(), written.end());
  if (twice != written.end()) fail("mlp step: tensor " + std::to_string(*twice) + " is passed as two variables or states");
  std::vector<int32_t> read{plan.labels_id};
  for (const EncoderPlan& e : plan.encoders) read.push_back(e.data_id);
  for (const int32_t id : read) {
    if (std::binary_search(written.begin(), written.end(), id)) fail("mlp step: tensor " + std::to_string(id) + " is both data and a variable or state");
  }
}

// mlpStep(length, lr, momentum, weightDecay, beta1, beta2, epsilon, 1 - beta1^t, 1 - beta2^t)
//   -> the step's loss. The plan is io[0, length). When the loss is not finite nothing is
//   updated (the caller reports the divergence). Afterwards io holds [n, (variable index,
//   id) x n]: the variables whose new weights went to fresh memory (shared, or copy set),
//   for JavaScript to assign (n = 0 after a loss that is not finite); the others were
//   updated in place.
GB_EXPORT(mlpStep) {
  const int32_t length = c.i32(0);
  if (length < 0) fail("mlp step: negative plan length");
  PlanReader r(c.reals(0, static_cast<size_t>(length)));
  const Plan plan = read_plan(r);
  const std::vector<const Layer*> layers = layers_of(plan);
  const bool adam = r.integer("the optimizer kind", 0, 1) == 1;
  std::vector<Slots> slots(layers.size() * 2);
  std::vector<int32_t> state_ids;
  for (size_t v = 0; v < slots.size(); v++) {
    for (int s = 0; s < (adam ? 2 : 1); s++) {
      const int32_t id = static_cast<int32_t>(r.integer("variable " + std::to_string(v) + " state id", 0, INT32_MAX));
      state_ids.push_back(id);
      slots[v].tensors.push_back(&get(id));
    }
    slots[v].copy = r.integer("variable " + std::to_string(v) + " copy flag", 0, 1) == 1;
  }
  r.expect_end();
  check_distinct(plan, layers, state_ids);
  for (size_t v = 0; v < slots.size(); v++) {
    const Layer* l = layers[v / 2];
    const int64_t n = (v % 2 == 0 ? l->kernel : l->bias)->numel();
    for (const at::Tensor* s : slots[v].tensors) slot_data(*s, n);
  }
  const AdamConstants k = adam_constants(c.f64(1), c.f64(4), c.f64(5), c.f64(6), c.f64(3), c.f64(7), c.f64(8));
  const float momentum = static_cast<float>(c.f64(2));

  const int64_t batch = static_cast<int64_t>(plan.rows.size());
  // Gradients per layer in variable order; undefined where no weighted head reaches.
  std::vector<LayerGrads> grads(layers.size());
  float loss = 0;
  {
    Forward f = forward(plan);
    std::vector<at::Tensor> grad_logits(plan.heads.size());
    for (size_t h = 0; h < plan.heads.size(); h++) {
      const HeadPlan& head = plan.heads[h];
      if (head.coef == 0) continue;
      const float coef = static_cast<float>(head.coef);
      grad_logits[h] = at::empty({batch, plan.classes}, f.logits[h].options());
      const float mean = static_cast<float>(cross_entropy(f.logits[h], plan, nullptr, grad_logits[h].data_ptr<float>(), coef / static_cast<float>(batch)));
      loss += coef == 1.0f ? mean : mean * coef;
    }
    if (!std::isfinite(loss)) {
      c.put_numbers(0, {0});  // no fresh weights: io says so, whatever the caller reads
      return c.number(loss);
    }
    // Back through the heads, into each encoder's features.
    size_t first_head_layer = 0;
    for (const EncoderPlan& e : plan.encoders) first_head_layer += e.chain.layers.size();
    std::vector<at::Tensor> feature_grads(plan.encoders.size());
    size_t at_layer = first_head_layer;
    for (size_t h = 0; h < plan.heads.size(); h++) {
      const HeadPlan& head = plan.heads[h];
      LayerGrads* out = grads.data() + at_layer;
      at_layer += head.chain.layers.size();
      if (!grad_logits[h].defined()) continue;
      at::Tensor g = backward_chain(head.chain, f.head_acts[h], grad_logits[h], out, true);
      if (head.grad_scale != 1) g.mul_(static_cast<float>(head.grad_scale));
      if (head.source >= 0) {
        accumulate(feature_grads[static_cast<size_t>(head.source)], g);
        continue;
      }
      int64_t offset = 0;
      for (size_t e = 0; e < plan.encoders.size(); e++) {
        const int64_t width = plan.encoders[e].chain.out_width;
        accumulate(feature_grads[e], g.narrow(1, offset, width));
        offset += width;
      }
    }
    size_t enc_layer = 0;
    for (size_t e = 0; e < plan.encoders.size(); e++) {
      const Chain& chain = plan.encoders[e].chain;
      if (feature_grads[e].defined()) backward_chain(chain, f.encoder_acts[e], feature_grads[e], grads.data() + enc_layer, false);
      enc_layer += chain.layers.size();
    }
  }
  // Every temporary that viewed a weight is gone: a weight's use count is the table's own.
  // First every allocation (which may throw), then the arithmetic (which cannot), so that a
  // failure leaves every weight and state as it was. The plan's and the slots' pointers point
  // into the table, which put() may move: nothing enters it until the arithmetic is done.
  struct Update {
    at::Tensor source, target;  // the same tensor when the update is in place
    bool in_place;
  };
  std::vector<Update> updates;
  updates.reserve(slots.size());
  size_t fresh = 0;
  for (size_t v = 0; v < slots.size(); v++) {
    const Layer* l = layers[v / 2];
    const at::Tensor& w = get(v % 2 == 0 ? l->kernel_id : l->bias_id);
    const bool in_place = !slots[v].copy && exclusive(w);
    updates.push_back({in_place ? w : w.contiguous(), in_place ? w : at::empty(w.sizes(), w.options()), in_place});
    if (!in_place) fresh++;
  }
  std::vector<double> records(1 + 2 * fresh);
  c.put_numbers(0, records);  // fails here, before anything changed, if io is too small
  for (size_t v = 0; v < slots.size(); v++) {
    const at::Tensor& g = v % 2 == 0 ? grads[v / 2].kernel : grads[v / 2].bias;
    const float* gp = g.defined() ? g.data_ptr<float>() : nullptr;
    const float* src = updates[v].source.data_ptr<float>();
    float* out = updates[v].target.data_ptr<float>();
    float* s0 = slots[v].tensors[0]->data_ptr<float>();
    const int64_t n = updates[v].source.numel();
    if (adam) adam_update(k, src, gp, s0, slots[v].tensors[1]->data_ptr<float>(), out, n);
    else momentum_update(k.neg_lr, momentum, k.wd, src, gp, s0, out, n);
  }
  records[0] = static_cast<double>(fresh);
  for (size_t v = 0, i = 0; v < slots.size(); v++) {
    if (updates[v].in_place) continue;
    records[1 + 2 * i] = static_cast<double>(v);
    records[2 + 2 * i] = put(std::move(updates[v].target));
    i++;
  }
  c.put_numbers(0, records);
  return c.number(loss);
}

// mlpEval(length, withLogits) -> the id of a float32 tensor [H, B, 2 (+ C)]: per head and
// row, the example's cross-entropy, 1 where the head's top class (the first of equal
// scores, or the first NaN, as the native backend's ArgMax) is the label's, else 0, then the logits when asked for. The
// plan is io[0, length) without the optimizer part; coefficients are not read.
GB_EXPORT(mlpEval) {
  const int32_t length = c.i32(0);
  if (length < 0) fail("mlp eval: negative plan length");
  const bool with_logits = c.flag(1);
  PlanReader r(c.reals(0, static_cast<size_t>(length)));
  const Plan plan = read_plan(r);
  r.expect_end();
  const int64_t batch = static_cast<int64_t>(plan.rows.size());
  const int64_t per_row = 2 + (with_logits ? plan.classes : 0);
  const int64_t heads = static_cast<int64_t>(plan.heads.size());
  checked_count(heads * batch, per_row, "mlp eval output");
  const Forward f = forward(plan);
  at::Tensor out = at::empty({heads, batch, per_row}, at::TensorOptions().dtype(at::kFloat));
  std::vector<float> losses(static_cast<size_t>(batch));
  float* dst = out.data_ptr<float>();
  const float* labels = plan.labels.data_ptr<float>();
  for (int64_t h = 0; h < heads; h++) {
    const at::Tensor& logits = f.logits[static_cast<size_t>(h)];
    cross_entropy(logits, plan, losses.data(), nullptr, 0);
    const float* z = logits.data_ptr<float>();
    for (int64_t i = 0; i < batch; i++) {
      const float* zi = z + i * plan.classes;
      const float* yi = labels + plan.rows[static_cast<size_t>(i)] * plan.classes;
      int64_t top = 0, label = 0;
      for (int64_t c2 = 1; c2 < plan.classes; c2++) {
        // The first NaN is the top, as ATen's argmax (the native backend's ArgMax) has it.
        if (!std::isnan(zi[top]) && (std::isnan(zi[c2]) || zi[c2] > zi[top])) top = c2;
        if (yi[c2] > yi[label]) label = c2;
      }
      float* row = dst + (h * batch + i) * per_row;
      row[0] = losses[static_cast<size_t>(i)];
      row[1] = top == label ? 1.0f : 0.0f;
      if (with_logits) std::memcpy(row + 2, zi, static_cast<size_t>(plan.classes) * sizeof(float));
    }
  }
  return c.result(out);
}

}  // namespace
}  // namespace gblend
