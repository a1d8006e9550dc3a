// The tensor table, the Node.js environment that owns it, and the error guard.
#include "common.h"

#include <c10/core/InferenceMode.h>

#include <mutex>
#include <stdexcept>
#include <string>

namespace gblend {

namespace {
// slots[i] holds id first_id + i; ids below first_id were retired by release_all.
std::vector<at::Tensor> slots;
std::vector<int32_t> free_ids;
int64_t first_id = 0;
int64_t live = 0;

// The one environment (main thread or worker) that may use the addon: the table and
// the io buffer are process-wide, so a second one is refused while the first lives.
std::mutex owner_mutex;
napi_env owner = nullptr;

size_t slot_of(int32_t id) {
  const int64_t at = static_cast<int64_t>(id) - first_id;
  if (id < 0 || at < 0 || static_cast<size_t>(at) >= slots.size() || !slots[static_cast<size_t>(at)].defined()) {
    fail("native tensor " + std::to_string(id) + " does not exist (disposed?)");
  }
  return static_cast<size_t>(at);
}

void release_env(void* arg) {
  auto env = static_cast<napi_env>(arg);
  clear_io(env);
  release_all();
  std::lock_guard<std::mutex> lock(owner_mutex);
  if (owner == env) owner = nullptr;
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

int32_t dtype_code(at::ScalarType t) {
  switch (t) {
    case at::kFloat: return kFloat32;
    case at::kInt: return kInt32;
    case at::kBool: return kBool;
    default: fail(std::string("internal: result of dtype ") + c10::toString(t) + " (expected float32, int32 or bool)");
  }
}

int32_t put(at::Tensor t) {
  dtype_code(t.scalar_type());  // only the three tfjs dtypes are ever stored
  if (t.numel() > kMaxElements) fail("result of shape " + std::to_string(t.numel()) + " elements exceeds 2^31-1");
  if (!free_ids.empty()) {
    const int32_t id = free_ids.back();
    free_ids.pop_back();
    slots[static_cast<size_t>(id - first_id)] = std::move(t);
    live++;
    return id;
  }
  const int64_t id = first_id + static_cast<int64_t>(slots.size());
  if (id > INT32_MAX) fail("native tensor ids exhausted");
  slots.push_back(std::move(t));
  live++;
  return static_cast<int32_t>(id);
}

const at::Tensor& get(int32_t id) { return slots[slot_of(id)]; }

void release(int32_t id) {
  slots[slot_of(id)] = at::Tensor();
  free_ids.push_back(id);
  live--;
}

int64_t live_count() { return live; }

TableInfo table_info() {
  return {static_cast<int64_t>(slots.size()), static_cast<int64_t>(slots.capacity()), static_cast<int64_t>(free_ids.size())};
}

void release_all() {
  first_id += static_cast<int64_t>(slots.size());
  slots.clear();
  free_ids.clear();
  live = 0;
}

bool claim_env(napi_env env) {
  {
    std::lock_guard<std::mutex> lock(owner_mutex);
    if (owner != nullptr && owner != env) return false;
    if (owner == env) return true;
    owner = env;
  }
  if (napi_add_env_cleanup_hook(env, release_env, env) != napi_ok) fail("Node-API call failed: add_env_cleanup_hook");
  return true;
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
  } catch (...) {
    napi_throw_error(env, "ENGINE_NATIVE_OP", "native backend: unknown C++ exception");
  }
  return nullptr;
}

std::vector<Export>& exports_list() {
  static std::vector<Export> list;
  return list;
}

}  // namespace gblend
