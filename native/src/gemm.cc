// Matrix products. ATen's mm goes to the system BLAS (OpenBLAS here), whose sgemm is
// 15-25% slower than oneDNN's on the 128-row products of small networks (measured on
// the AVX-512 test machine: 128x512x512 in 338 us against 372). Debian's libtorch
// depends on oneDNN's shared library (libdnnl2), so where libdnnl.so.2 loads, float32
// products go to its dnnl_sgemm; elsewhere (another libtorch, or GBLEND_GEMM=aten)
// they stay on ATen. The library is opened at run time, never linked, so the addon
// builds and loads without it.
//
// Signals are blocked around each call (signals.h).
#include "gemm.h"

#include "checks.h"
#include "signals.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace gblend {
namespace {
void check_product(const at::Tensor& a, const at::Tensor& b);

// oneDNN's C API (dnnl.h), row-major: C = alpha * op(A) * op(B) + beta * C.
using Sgemm = int (*)(char transa, char transb, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
                      const float* b, int64_t ldb, float beta, float* c, int64_t ldc);
struct DnnlVersion {
  int major, minor, patch;
  const char* hash;
  unsigned cpu_runtime, gpu_runtime;
};
using Version = const DnnlVersion* (*)();

Sgemm dnnl_sgemm = nullptr;
std::string dnnl_name;
bool use_dnnl = false;

// A float32 matrix as BLAS wants it: 'N' with rows `ld` apart, or 'T' for the transpose
// of such a matrix. Returns false for any other layout.
bool blas_layout(const at::Tensor& t, char& trans, int64_t& ld) {
  if (t.scalar_type() != at::kFloat || t.dim() != 2) return false;
  const int64_t rows = t.size(0), cols = t.size(1);
  if (t.stride(1) == 1 && (rows == 1 || t.stride(0) >= std::max<int64_t>(cols, 1))) {
    trans = 'N';
    ld = std::max<int64_t>(t.stride(0), std::max<int64_t>(cols, 1));
    return true;
  }
  if (t.stride(0) == 1 && (cols == 1 || t.stride(1) >= std::max<int64_t>(rows, 1))) {
    trans = 'T';
    ld = std::max<int64_t>(t.stride(1), std::max<int64_t>(rows, 1));
    return true;
  }
  return false;
}

at::Tensor dense(const at::Tensor& t, char& trans, int64_t& ld) {
  if (blas_layout(t, trans, ld)) return t;
  at::Tensor c = t.contiguous();
  blas_layout(c, trans, ld);
  return c;
}

// a [m, k] times b [k, n] (+ bias broadcast to [m, n]) with oneDNN.
at::Tensor dnnl_mm(const at::Tensor& a_in, const at::Tensor& b_in, const c10::optional<at::Tensor>& bias) {
  // The raw product reads k x n of b: it must hold that much, whoever called.
  check_product(a_in, b_in);
  char ta, tb;
  int64_t lda, ldb;
  const at::Tensor a = dense(a_in, ta, lda);
  const at::Tensor b = dense(b_in, tb, ldb);
  const int64_t m = a.size(0), k = a.size(1), n = b.size(1);
  at::Tensor y = at::empty({m, n}, a.options());
  if (m == 0 || n == 0) return y;
  float beta = 0.0f;
  if (bias) {
    y.copy_(bias->expand({m, n}));
    beta = 1.0f;
  }
  if (k == 0) return bias ? y : y.zero_();
  SignalsBlocked blocked;
  const int status = dnnl_sgemm(ta, tb, m, n, k, 1.0f, a.data_ptr<float>(), lda, b.data_ptr<float>(), ldb, beta,
                                y.data_ptr<float>(), n);
  if (status != 0) fail("oneDNN sgemm failed with status " + std::to_string(status));
  return y;
}

bool bias_fits(const c10::optional<at::Tensor>& bias, int64_t m, int64_t n) {
  if (!bias) return true;
  if (bias->scalar_type() != at::kFloat || bias->dim() > 2) return false;
  const auto sizes = bias->sizes();
  const int64_t bn = sizes.empty() ? 1 : sizes.back();
  const int64_t bm = sizes.size() == 2 ? sizes[0] : 1;
  return (bn == n || bn == 1) && (bm == m || bm == 1);
}

}  // namespace

std::string gemm_init() {
  const char* env = std::getenv("GBLEND_GEMM");
  const std::string choice = env == nullptr ? "" : env;
  if (choice != "" && choice != "dnnl" && choice != "aten") fail("GBLEND_GEMM must be dnnl or aten, not '" + choice + "'");
  if (dnnl_sgemm == nullptr && choice != "aten") {
    if (void* lib = dlopen("libdnnl.so.2", RTLD_NOW | RTLD_LOCAL)) {
      dnnl_sgemm = reinterpret_cast<Sgemm>(dlsym(lib, "dnnl_sgemm"));
      auto version = reinterpret_cast<Version>(dlsym(lib, "dnnl_version"));
      if (dnnl_sgemm != nullptr && version != nullptr) {
        const DnnlVersion* v = version();
        dnnl_name = "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
      } else {
        dnnl_sgemm = nullptr;
      }
    }
  }
  if (choice == "dnnl" && dnnl_sgemm == nullptr) fail("GBLEND_GEMM=dnnl, but libdnnl.so.2 (oneDNN) did not load");
  use_dnnl = dnnl_sgemm != nullptr && choice != "aten";
  // Workers block signals whatever the product engine: ATen's convolutions use oneDNN.
  block_signals_in_workers();
  return gemm_name();
}

std::string gemm_name() { return use_dnnl ? dnnl_name : "ATen"; }

bool gemm_select(const std::string& name) {
  if (name == "aten") {
    use_dnnl = false;
  } else if (name == "dnnl") {
    if (dnnl_sgemm == nullptr) return false;
    use_dnnl = true;
  } else {
    fail("unknown matrix product engine '" + name + "' (dnnl or aten)");
  }
  return true;
}

namespace {
void check_product(const at::Tensor& a, const at::Tensor& b) {
  if (a.dim() < 2 || b.dim() < 2 || a.size(-1) != b.size(-2)) {
    fail("matMul: inner dimensions of shapes " + shape_string(a.sizes()) + " and " + shape_string(b.sizes()) + " must match (rank 2 or more)");
  }
  check_same_dtype(a, b, "matMul");
}
}  // namespace

at::Tensor mm(const at::Tensor& a, const at::Tensor& b, const c10::optional<at::Tensor>& bias) {
  check_product(a, b);
  if (a.dim() != 2 || b.dim() != 2) fail("matMul: mm takes rank-2 operands");
  if (use_dnnl && a.scalar_type() == at::kFloat && b.scalar_type() == at::kFloat && bias_fits(bias, a.size(0), b.size(1))) {
    return dnnl_mm(a, b, bias);
  }
  return bias ? at::addmm(*bias, a, b) : at::mm(a, b);
}

at::Tensor matmul(const at::Tensor& a, const at::Tensor& b, const c10::optional<at::Tensor>& bias) {
  check_product(a, b);
  // tfjs hands BatchMatMul rank-3 operands; a batch of one is a plain product.
  if (a.dim() == 3 && b.dim() == 3 && a.size(0) == 1 && b.size(0) == 1) {
    const bool bias_2d = !bias || bias->dim() <= 2 || (bias->dim() == 3 && bias->size(0) == 1);
    if (bias_2d) {
      c10::optional<at::Tensor> bias2;
      if (bias) bias2 = bias->dim() == 3 ? bias->select(0, 0) : *bias;
      return mm(a.select(0, 0), b.select(0, 0), bias2).unsqueeze(0);
    }
  }
  if (a.dim() == 2 && b.dim() == 2) return mm(a, b, bias);
  at::Tensor y = at::matmul(a, b);
  if (bias) y.add_(*bias);
  return y;
}

}  // namespace gblend
