// Data transfer between JavaScript and the tensor table: write, read, free.
#include "checks.h"
#include "common.h"

#include <cstring>
#include <string>

namespace gblend {
namespace {

void throw_if(napi_status status, const char* what) {
  if (status != napi_ok) fail(std::string("Node-API call failed: ") + what);
}

at::ScalarType source_type(napi_typedarray_type type) {
  switch (type) {
    case napi_float32_array: return at::kFloat;
    case napi_int32_array: return at::kInt;
    case napi_uint8_array: return at::kByte;
    default: fail("values must be a Float32Array, Int32Array or Uint8Array");
  }
}

// write(values, dtype, rank) -> id; the shape is io[0..rank).
GB_EXPORT(write) {
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_value buffer;
  size_t offset;
  throw_if(napi_get_typedarray_info(c.env, c.arg(0), &type, &length, &data, &buffer, &offset), "typedarray_info");
  const at::ScalarType target = scalar_type(c.i32(1));
  const int32_t rank = c.i32(2);
  if (rank < 0) fail("write: negative rank");
  const auto shape = c.ints(0, static_cast<size_t>(rank));
  check_shape(shape, "write");
  // Compared before allocating: a shape far larger than the values must not allocate first.
  int64_t count = 1;
  for (const int64_t d : shape) count *= d;  // within 2^31-1: check_shape
  if (static_cast<size_t>(count) != length) fail("write: " + std::to_string(length) + " values for shape of " + std::to_string(count));
  at::Tensor t = at::empty(shape, at::TensorOptions().dtype(source_type(type)));
  if (length > 0) std::memcpy(t.data_ptr(), data, length * t.element_size());
  if (target == at::kBool) t = t.ne(0);
  else if (t.scalar_type() != target) t = t.to(target);
  return c.number(put(std::move(t)));
}

// read(id) -> Float32Array | Int32Array | Uint8Array (bool)
GB_EXPORT(read) {
  at::Tensor t = c.tensor(0).contiguous();
  napi_typedarray_type type;
  switch (t.scalar_type()) {
    case at::kFloat: type = napi_float32_array; break;
    case at::kInt: type = napi_int32_array; break;
    default: type = napi_uint8_array; break;  // bool: one byte 0/1 per element
  }
  const size_t n = static_cast<size_t>(t.numel());
  const size_t bytes = n * t.element_size();
  void* dest;
  napi_value buffer, out;
  throw_if(napi_create_arraybuffer(c.env, bytes, &dest, &buffer), "create_arraybuffer");
  if (bytes > 0) std::memcpy(dest, t.data_ptr(), bytes);
  throw_if(napi_create_typedarray(c.env, type, n, buffer, 0, &out), "create_typedarray");
  return out;
}

GB_EXPORT(free) {
  release(c.i32(0));
  return c.undefined();
}

GB_EXPORT(freeAll) {
  release_all();
  return c.undefined();
}

GB_EXPORT(liveCount) { return c.number(static_cast<double>(live_count())); }

// tableInfo(): writes [slots, capacity, free ids] of the tensor table to io (for tests of
// code that must not hold pointers into the table while it grows).
GB_EXPORT(tableInfo) {
  const TableInfo t = table_info();
  c.put_numbers(0, {static_cast<double>(t.size), static_cast<double>(t.capacity), static_cast<double>(t.free)});
  return c.undefined();
}

// describe(id): writes the tensor's record to io (for consistency checks in tests).
GB_EXPORT(describe) {
  c.describe(c.tensor(0));
  return c.undefined();
}

}  // namespace
}  // namespace gblend
