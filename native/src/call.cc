// Argument access and result encoding for exported functions (Call, common.h): every
// number and list JavaScript passes is checked to be an exact int32 before use.
#include "common.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <string>

namespace gblend {

namespace {
napi_ref io_ref = nullptr;
napi_env io_env = nullptr;

void check_status(napi_status status, const char* what) {
  if (status != napi_ok) fail(std::string("Node-API call failed: ") + what);
}

std::string number_string(double v) {
  std::ostringstream out;
  out << std::setprecision(17) << v;
  return out.str();
}

bool exact_int32(double v) { return std::isfinite(v) && v == std::trunc(v) && v >= INT32_MIN && v <= INT32_MAX; }
}  // namespace

void set_io(napi_env env, napi_value buffer) {
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_value array_buffer;
  size_t offset;
  check_status(napi_get_typedarray_info(env, buffer, &type, &length, &data, &array_buffer, &offset), "typedarray_info");
  if (type != napi_float64_array) fail("init: io must be a Float64Array");
  clear_io(env);
  check_status(napi_create_reference(env, buffer, 1, &io_ref), "create_reference");
  io_env = env;
}

void clear_io(napi_env env) {
  if (io_ref != nullptr && io_env == env) napi_delete_reference(env, io_ref);
  io_ref = nullptr;
  io_env = nullptr;
}

Call::Call(napi_env e, napi_callback_info info) : env(e), argc_(kMaxArgs) {
  check_status(napi_get_cb_info(env, info, &argc_, argv_, nullptr, nullptr), "get_cb_info");
  if (argc_ > kMaxArgs) fail("too many arguments");
}

Call::Io Call::io() const {
  if (io_ref == nullptr || io_env != env) fail("init() was not called");
  napi_value buffer;
  check_status(napi_get_reference_value(env, io_ref, &buffer), "get_reference_value");
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  napi_value array_buffer;
  size_t offset;
  check_status(napi_get_typedarray_info(env, buffer, &type, &length, &data, &array_buffer, &offset), "typedarray_info");
  if (data == nullptr) length = 0;  // detached
  return {static_cast<double*>(data), length};
}

napi_value Call::arg(size_t i) const {
  if (i >= argc_) fail("missing argument " + std::to_string(i));
  return argv_[i];
}

int32_t Call::i32(size_t i) const {
  const double v = f64(i);
  if (!exact_int32(v)) fail("argument " + std::to_string(i) + " must be an int32, got " + number_string(v));
  return static_cast<int32_t>(v);
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
  if (id == -1) return c10::nullopt;
  return get(id);
}

std::vector<int64_t> Call::ints(size_t offset, size_t count) const {
  const Io buffer = io();
  if (count > buffer.capacity || offset > buffer.capacity - count) fail("io buffer overflow");
  std::vector<int64_t> out(count);
  for (size_t i = 0; i < count; i++) {
    const double v = buffer.data[offset + i];
    if (!exact_int32(v)) fail("integer list: " + number_string(v) + " is not an int32");
    out[i] = static_cast<int64_t>(v);
  }
  return out;
}

std::vector<at::Tensor> Call::tensors(size_t offset, size_t count) const {
  std::vector<at::Tensor> out;
  out.reserve(count);
  for (int64_t id : ints(offset, count)) out.push_back(get(static_cast<int32_t>(id)));
  return out;
}

std::vector<double> Call::reals(size_t offset, size_t count) const {
  const Io buffer = io();
  if (count > buffer.capacity || offset > buffer.capacity - count) fail("io buffer overflow");
  return std::vector<double>(buffer.data + offset, buffer.data + offset + count);
}

void Call::put_numbers(size_t offset, const std::vector<double>& values) const {
  const Io buffer = io();
  if (values.size() > buffer.capacity || offset > buffer.capacity - values.size()) fail("io buffer too small for the results");
  std::copy(values.begin(), values.end(), buffer.data + offset);
}

napi_value Call::number(double v) {
  napi_value out;
  check_status(napi_create_double(env, v, &out), "create_double");
  return out;
}

napi_value Call::undefined() {
  napi_value out;
  check_status(napi_get_undefined(env, &out), "get_undefined");
  return out;
}

// Writes [dtype, rank, dims...] at io[at]; returns the next free index.
size_t Call::write_record(const at::Tensor& t, size_t at) const {
  const Io buffer = io();
  const auto rank = static_cast<size_t>(t.dim());
  if (at > buffer.capacity || buffer.capacity - at < 2 + rank) fail("io buffer too small for the result");
  if (t.numel() > kMaxElements) fail("a result of " + std::to_string(t.numel()) + " elements exceeds 2^31-1");
  buffer.data[at] = dtype_code(t.scalar_type());
  buffer.data[at + 1] = static_cast<double>(rank);
  for (size_t d = 0; d < rank; d++) buffer.data[at + 2 + d] = static_cast<double>(t.size(static_cast<int64_t>(d)));
  return at + 2 + rank;
}

void Call::describe(const at::Tensor& t) { write_record(t, 0); }

napi_value Call::result(at::Tensor t) {
  write_record(t, 0);
  return number(put(std::move(t)));
}

void Call::check_results_fit(int64_t count, int64_t rank) const {
  // Layout of results(): the count, then per output its id and its record (dtype, rank, dims).
  const Io buffer = io();
  const auto per = static_cast<size_t>(3 + rank);
  if (count < 0 || static_cast<size_t>(count) > (buffer.capacity - 1) / per) {
    fail("io buffer too small for the results (" + std::to_string(count) + " outputs)");
  }
}

// All records are written (and so known to fit) before any output enters the table:
// a result that does not fit leaves nothing behind.
napi_value Call::results(const std::vector<at::Tensor>& ts) {
  const Io buffer = io();
  if (buffer.capacity < 1) fail("io buffer too small for the results");
  std::vector<size_t> id_at(ts.size());
  size_t at = 1;
  for (size_t i = 0; i < ts.size(); i++) {
    if (at >= buffer.capacity) fail("io buffer too small for the results (" + std::to_string(ts.size()) + " outputs)");
    id_at[i] = at;
    at = write_record(ts[i], at + 1);
  }
  buffer.data[0] = static_cast<double>(ts.size());
  for (size_t i = 0; i < ts.size(); i++) buffer.data[id_at[i]] = put(ts[i]);
  return number(static_cast<double>(ts.size()));
}

}  // namespace gblend
