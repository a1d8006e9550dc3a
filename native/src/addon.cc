// Module entry, data transfer between JavaScript and libtorch, and the runtime:
// threads, which BLAS libtorch runs on, and a self-check of its results.
#include "checks.h"
#include "codes.h"
#include "common.h"
#include "gemm.h"
#include "signals.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>
#include <link.h>
#include <torch/csrc/api/include/torch/version.h>

#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

namespace gblend {
namespace {

void throw_if(napi_status status, const char* what) {
  if (status != napi_ok) fail(std::string("Node-API call failed: ") + what);
}

napi_value make_string(napi_env env, const std::string& s) {
  napi_value out;
  throw_if(napi_create_string_utf8(env, s.c_str(), s.size(), &out), "create_string");
  return out;
}

void set_property(napi_env env, napi_value obj, const char* key, napi_value value) {
  throw_if(napi_set_named_property(env, obj, key, value), "set_named_property");
}

// The loaded shared object that provides BLAS (libblas.so.3 or libopenblas), if any.
struct BlasLibrary {
  std::string path;
  std::string core;
};

int find_blas(struct dl_phdr_info* info, size_t, void* data) {
  auto* out = static_cast<BlasLibrary*>(data);
  const std::string name = info->dlpi_name == nullptr ? "" : info->dlpi_name;
  if (name.find("blas") == std::string::npos && name.find("mkl_rt") == std::string::npos) return 0;
  char resolved[PATH_MAX];
  out->path = realpath(name.c_str(), resolved) != nullptr ? resolved : name;
  if (void* handle = dlopen(name.c_str(), RTLD_LAZY | RTLD_NOLOAD)) {
    using CoreName = char* (*)();
    if (auto fn = reinterpret_cast<CoreName>(dlsym(handle, "openblas_get_corename"))) out->core = fn();
    dlclose(handle);
  }
  return out->core.empty() ? 0 : 1;  // keep looking until an OpenBLAS answers
}

// A product checked against a double-precision loop: a BLAS (or oneDNN) that picked a
// kernel the CPU cannot run correctly would fail here rather than train on garbage.
std::string gemm_self_check() {
  const int64_t m = 67, k = 45, n = 33;
  at::Tensor a = at::rand({m, k}, at::kFloat) - 0.5;
  at::Tensor b = at::rand({k, n}, at::kFloat) - 0.5;
  at::Tensor c = mm(a, b, c10::nullopt).contiguous();
  at::Tensor ct = mm(b.t(), a.t(), c10::nullopt).contiguous();
  const float* pa = a.data_ptr<float>();
  const float* pb = b.data_ptr<float>();
  const float* pc = c.data_ptr<float>();
  const float* pct = ct.data_ptr<float>();
  double worst = 0;
  for (int64_t i = 0; i < m; i++) {
    for (int64_t j = 0; j < n; j++) {
      double want = 0;
      for (int64_t p = 0; p < k; p++) want += static_cast<double>(pa[i * k + p]) * pb[p * n + j];
      worst = std::max({worst, std::abs(pc[i * n + j] - want), std::abs(pct[j * m + i] - want)});
    }
  }
  if (!(worst < 1e-4)) return gemm_name() + " matrix product self-check failed (error " + std::to_string(worst) + ")";
  return "";
}

// init(io: Float64Array) -> { protocol, torch, threads, blasLibrary, blasCore, gemm }
GB_EXPORT(init) {
  set_io(c.env, c.arg(0));
  gemm_init();
  const std::string check = gemm_self_check();
  if (!check.empty()) fail(check);
  BlasLibrary blas;
  dl_iterate_phdr(find_blas, &blas);

  napi_value out;
  throw_if(napi_create_object(c.env, &out), "create_object");
  set_property(c.env, out, "protocol", c.number(kProtocol));
  set_property(c.env, out, "torch", make_string(c.env, std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." + std::to_string(TORCH_VERSION_PATCH)));
  set_property(c.env, out, "threads", c.number(at::get_num_threads()));
  set_property(c.env, out, "blasLibrary", make_string(c.env, blas.path));
  set_property(c.env, out, "blasCore", make_string(c.env, blas.core));
  set_property(c.env, out, "gemm", make_string(c.env, gemm_name()));
  return out;
}

// setGemm('dnnl' | 'aten') -> the engine's name, or '' where oneDNN is not loaded (for
// tests that compare the two).
GB_EXPORT(setGemm) {
  size_t length = 0;
  char name[16];
  throw_if(napi_get_value_string_utf8(c.env, c.arg(0), name, sizeof name, &length), "get_value_string");
  if (!gemm_select(std::string(name, length))) return make_string(c.env, "");
  const std::string check = gemm_self_check();
  if (!check.empty()) fail(check);
  return make_string(c.env, gemm_name());
}

GB_EXPORT(setThreads) {
  const int32_t n = c.i32(0);
  if (n < 1 || n > 1024) fail("threads must be in [1, 1024], got " + std::to_string(n));
  at::set_num_threads(n);
  block_signals_in_workers();
  return c.number(at::get_num_threads());
}

GB_EXPORT(threads) { return c.number(at::get_num_threads()); }

// unblockedWorkers() -> how many threads of the calling thread's OpenMP pool would take
// SIGPROF (for the test that they block signals; 0 is right).
GB_EXPORT(unblockedWorkers) { return c.number(static_cast<double>(workers_taking_signals())); }

}  // namespace

napi_value init_module(napi_env env, napi_value exports) {
  try {
    if (!claim_env(env)) {
      napi_throw_error(env, "ENGINE_NATIVE_ENV", "gblend native: the addon is already in use by another Node.js environment "
                       "(a worker thread or the main thread); it serves one at a time");
      return nullptr;
    }
  } catch (const std::exception& e) {
    napi_throw_error(env, "ENGINE_NATIVE_ENV", e.what());
    return nullptr;
  }
  for (const auto& e : exports_list()) {
    napi_value fn;
    if (napi_create_function(env, e.name, NAPI_AUTO_LENGTH, e.fn, nullptr, &fn) != napi_ok ||
        napi_set_named_property(env, exports, e.name, fn) != napi_ok) {
      napi_throw_error(env, nullptr, "gblend native: could not export functions");
      return nullptr;
    }
  }
  return exports;
}

}  // namespace gblend

NAPI_MODULE(NODE_GYP_MODULE_NAME, gblend::init_module)
