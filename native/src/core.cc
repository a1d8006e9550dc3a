// The tensor table, the io buffer, argument access and the error guard.
#include "common.h"

#include <c10/core/InferenceMode.h>

#include <stdexcept>
#include <string>

namespace gblend {

namespace {
std::vector<at::Tensor> slots;
std::vector<int32_t> free_ids;
int64_t live = 0;
int32_t* io_data = nullptr;
size_t io_capacity = 0;

int32_t code_of(at::ScalarType t) {
  switch (t) {
    case at::kFloat: return kFloat32;
    case at::kInt: return kInt32;
    case at::kBool: return kBool;
    default: fail(std::string("internal: result of dtype ") + c10::toString(t) + " (expected float32, int32 or bool)");
  }
}

void check_status(napi_env env, napi_status status, const char* what) {
  if (status != napi_ok) {
    (void)env;
    fail(std::string("Node-API call failed: ") + what);
  }
}

// Writes [dtype, rank, dims...] at io[at]; returns the next free index.
size_t write_record(const at::Tensor& t, size_t at) {
  const auto rank = static_cast<size_t>(t.dim());
  if (at + 2 + rank > io_capacity) fail("io buffer too small for the result");
  io_data[at] = code_of(t.scalar_type());
  io_data[at + 1] = static_cast<int32_t>(rank);
  for (size_t d = 0; d < rank; d++) io_data[at + 2 + d] = static_cast<int32_t>(t.size(static_cast<int64_t>(d)));
  return at + 2 + rank;
}
}  // namespace

[[noreturn]] void fail(const std::string& message) { throw std::invalid_argument(message); }

at::ScalarType scalar_type(int32_t code) {
  switch (code) {
    case kFloat32: return at::kFloat;
    case kInt32: return at::kInt;
    case kBool: return at::kBool;
    default: fail("unknown dtype code " + std::to_string(code));
  }
}

int32_t put(at::Tensor t) {
  code_of(t.scalar_type());  // only the three tfjs dtypes are ever stored
  int32_t id;
  if (!free_ids.empty()) {
    id = free_ids.back();
    free_ids.pop_back();
    slots[static_cast<size_t>(id)] = std::move(t);
  } else {
    id = static_cast<int32_t>(slots.size());
    slots.push_back(std::move(t));
  }
  live++;
  return id;
}

const at::Tensor& get(int32_t id) {
  if (id < 0 || static_cast<size_t>(id) >= slots.size() || !slots[static_cast<size_t>(id)].defined()) {
    fail("native tensor " + std::to_string(id) + " does not exist (disposed?)");
  }
  return slots[static_cast<size_t>(id)];
}

void release(int32_t id) {
  get(id);
  slots[static_cast<size_t>(id)] = at::Tensor();
  free_ids.push_back(id);
  live--;
}

int64_t live_count() { return live; }

void release_all() {
  slots.clear();
  free_ids.clear();
  live = 0;
}

void set_io(int32_t* data, size_t capacity) {
  io_data = data;
  io_capacity = capacity;
}

Call::Call(napi_env e, napi_callback_info info) : env(e), argc_(kMaxArgs) {
  check_status(env, napi_get_cb_info(env, info, &argc_, argv_, nullptr, nullptr), "get_cb_info");
  if (argc_ > kMaxArgs) fail("too many arguments");
}

napi_value Call::arg(size_t i) const {
  if (i >= argc_) fail("missing argument " + std::to_string(i));
  return argv_[i];
}

int32_t Call::i32(size_t i) const {
  int32_t v;
  if (napi_get_value_int32(env, arg(i), &v) != napi_ok) fail("argument " + std::to_string(i) + " must be a number");
  return v;
}

double Call::f64(size_t i) const {
  double v;
  if (napi_get_value_double(env, arg(i), &v) != napi_ok) fail("argument " + std::to_string(i) + " must be a number");
  return v;
}

bool Call::flag(size_t i) const {
  bool v;
  if (napi_get_value_bool(env, arg(i), &v) != napi_ok) fail("argument " + std::to_string(i) + " must be a boolean");
  return v;
}

const at::Tensor& Call::tensor(size_t i) const { return get(i32(i)); }

c10::optional<at::Tensor> Call::maybe_tensor(size_t i) const {
  const int32_t id = i32(i);
  if (id < 0) return c10::nullopt;
  return get(id);
}

std::vector<int64_t> Call::ints(size_t offset, size_t count) const {
  if (io_data == nullptr) fail("init() was not called");
  if (offset + count > io_capacity) fail("io buffer overflow");
  return std::vector<int64_t>(io_data + offset, io_data + offset + count);
}

std::vector<at::Tensor> Call::tensors(size_t offset, size_t count) const {
  std::vector<at::Tensor> out;
  out.reserve(count);
  for (int64_t id : ints(offset, count)) out.push_back(get(static_cast<int32_t>(id)));
  return out;
}

napi_value Call::number(double v) {
  napi_value out;
  check_status(env, napi_create_double(env, v, &out), "create_double");
  return out;
}

napi_value Call::undefined() {
  napi_value out;
  check_status(env, napi_get_undefined(env, &out), "get_undefined");
  return out;
}

void Call::describe(const at::Tensor& t) { write_record(t, 0); }

napi_value Call::result(at::Tensor t) {
  write_record(t, 0);
  return number(put(std::move(t)));
}

napi_value Call::results(const std::vector<at::Tensor>& ts) {
  if (io_capacity < 1) fail("io buffer too small");
  io_data[0] = static_cast<int32_t>(ts.size());
  size_t at = 1;
  for (const auto& t : ts) {
    if (at + 1 > io_capacity) fail("io buffer too small for the results");
    const size_t id_at = at;
    at = write_record(t, at + 1);
    io_data[id_at] = put(t);
  }
  return number(static_cast<double>(ts.size()));
}

napi_value guard(napi_env env, napi_callback_info info, Body body) {
  try {
    c10::InferenceMode inference;
    Call call(env, info);
    return body(call);
  } catch (const c10::Error& e) {
    napi_throw_error(env, "ENGINE_NATIVE_OP", e.what_without_backtrace());
  } catch (const std::exception& e) {
    napi_throw_error(env, "ENGINE_NATIVE_OP", e.what());
  }
  return nullptr;
}

std::vector<Export>& exports_list() {
  static std::vector<Export> list;
  return list;
}

}  // namespace gblend
