// Shared plumbing of the gblend native addon: the tensor table, the io buffer shared
// with JavaScript, argument access and result encoding. Every exported function is a
// thin Node-API wrapper (GB_EXPORT) around ATen calls.
#pragma once

#define NAPI_VERSION 8
#include <node_api.h>

#include <ATen/ATen.h>

#include <cstdint>
#include <vector>

// Hand-written loops over float32 memory are compiled for AVX-512, AVX2 and baseline
// x86-64, picked at load time by the CPU (GCC function multiversioning), so they
// vectorise 16, 8 or 4 wide wherever the addon runs. Contraction to FMA stays off
// (binding.gyp), so every variant rounds like tfjs' separate operations.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define GB_MULTIVERSION __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define GB_MULTIVERSION
#endif

namespace gblend {

// dtype codes, mirrored in src/engine/native/codes.ts.
enum DTypeCode : int32_t { kFloat32 = 0, kInt32 = 1, kBool = 2 };

at::ScalarType scalar_type(int32_t code);
int32_t dtype_code(at::ScalarType type);

// Makes `env` the addon's one user; false when another live environment already is.
// The table and io buffer are released when the owner exits (a worker thread ending).
bool claim_env(napi_env env);

// Tensor table: JavaScript holds integer ids, the table holds the tensors. Ids are
// never handed out twice across release_all (a stale id fails instead of aliasing).
int32_t put(at::Tensor t);
const at::Tensor& get(int32_t id);
void release(int32_t id);
int64_t live_count();
// The table's slots in use or free, the room it has before it moves, and its free ids (tests).
struct TableInfo {
  int64_t size, capacity, free;
};
TableInfo table_info();
void release_all();

// The io buffer: a Float64Array shared with JavaScript (held by a reference, looked up
// on each call, so a detached buffer is an error, not a dangling pointer). Doubles, not
// int32: a value JavaScript wrote arrives unchanged and is checked here rather than
// wrapped modulo 2^32 on the way in. Before a call JavaScript writes integer lists
// (shapes, axes, ids) at the start; after it the function writes its result records:
//   one output:   [dtype, rank, dims...] and the function returns the id;
//   n outputs:    [n, (id, dtype, rank, dims...)...] and the function returns n.
void set_io(napi_env env, napi_value buffer);
void clear_io(napi_env env);

// The largest element count (and dimension) of any tensor made here: tfjs indexes with
// int32, and a size no typed array can hold could never be read back anyway.
constexpr int64_t kMaxElements = 2147483647;

class Call {
 public:
  Call(napi_env env, napi_callback_info info);

  size_t argc() const { return argc_; }
  napi_value arg(size_t i) const;
  const at::Tensor& tensor(size_t i) const;
  // An optional tensor: id -1 means none.
  c10::optional<at::Tensor> maybe_tensor(size_t i) const;
  // An integer argument: a JavaScript number that is an exact int32 (never truncated).
  int32_t i32(size_t i) const;
  double f64(size_t i) const;
  bool flag(size_t i) const;
  // `count` integers of the io buffer from `offset`, each an exact int32.
  std::vector<int64_t> ints(size_t offset, size_t count) const;
  // `count` tensor ids of the io buffer from `offset`, as tensors.
  std::vector<at::Tensor> tensors(size_t offset, size_t count) const;
  // `count` values of the io buffer from `offset`, unchecked: the caller checks each one.
  std::vector<double> reals(size_t offset, size_t count) const;
  // Writes `values` to the io buffer from `offset`.
  void put_numbers(size_t offset, const std::vector<double>& values) const;

  napi_value result(at::Tensor t);
  // Writes t's record [dtype, rank, dims...] to io without storing t.
  void describe(const at::Tensor& t);
  napi_value results(const std::vector<at::Tensor>& ts);
  // Fails unless `count` results of rank `rank` fit the io buffer: checked before an op builds
  // them, so a huge count is refused at once instead of after allocating every output.
  void check_results_fit(int64_t count, int64_t rank) const;
  napi_value number(double v);
  napi_value undefined();

  napi_env env;

 private:
  struct Io {
    double* data;
    size_t capacity;
  };
  Io io() const;
  size_t write_record(const at::Tensor& t, size_t at) const;

  static constexpr size_t kMaxArgs = 16;
  napi_value argv_[kMaxArgs];
  size_t argc_;
};

using Body = napi_value (*)(Call&);

// Runs `body` in inference mode; turns every C++ exception into a JavaScript error.
napi_value guard(napi_env env, napi_callback_info info, Body body);

struct Export {
  const char* name;
  napi_callback fn;
};
std::vector<Export>& exports_list();

struct Registration {
  Registration(const char* name, napi_callback fn) { exports_list().push_back({name, fn}); }
};

// Defines and registers an exported function: GB_EXPORT(name) { ...uses Call& c... }
#define GB_EXPORT(name)                                                          \
  static napi_value name##_body(::gblend::Call& c);                              \
  static napi_value name##_entry(napi_env env, napi_callback_info info) {        \
    return ::gblend::guard(env, info, name##_body);                              \
  }                                                                              \
  static ::gblend::Registration name##_registration(#name, name##_entry);        \
  static napi_value name##_body([[maybe_unused]] ::gblend::Call& c)

// Throws std::invalid_argument with a message built from the arguments.
[[noreturn]] void fail(const std::string& message);

}  // namespace gblend
