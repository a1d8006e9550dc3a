// Cast, selection and AddN kernels: dtypes and shapes are checked here (tfjs' rules,
// which are stricter than ATen's broadcasting and type promotion).
#include "checks.h"
#include "common.h"

#include <string>

namespace gblend {

// cast(x, dtype)
GB_EXPORT(cast) {
  const at::Tensor& x = c.tensor(0);
  const at::ScalarType to = scalar_type(c.i32(1));
  if (to == at::kBool) return c.result(x.ne(0));
  if (to == at::kInt && x.is_floating_point()) {
    // tfjs stores into an Int32Array, which converts as JavaScript's ToInt32: NaN and ±Infinity
    // become 0 and larger values wrap modulo 2^32. A C++ conversion of such values is undefined
    // behaviour (in practice INT_MIN). In double, where every step here is exact.
    const at::Tensor d = x.to(at::kDouble);
    at::Tensor m = at::fmod(at::trunc(d), 4294967296.0);
    m = at::where(m < 0, m + 4294967296.0, m);
    m = at::where(m >= 2147483648.0, m - 4294967296.0, m);
    return c.result(at::where(at::isfinite(d), m, at::zeros_like(m)).to(at::kInt));
  }
  return c.result(x.to(to, /*non_blocking=*/false, /*copy=*/true));
}

// select(condition, t, e)
GB_EXPORT(select) {
  const at::Tensor& condition = c.tensor(0);
  const at::Tensor& t = c.tensor(1);
  const at::Tensor& e = c.tensor(2);
  // tfjs' where() broadcasts all three to one shape before the kernel: anything else is a
  // caller's mistake (tfjs' cpu kernel would read a shorter condition past its end).
  check_same_dtype(t, e, "select");
  if (t.sizes() != e.sizes() || condition.sizes() != t.sizes()) {
    fail("select: shapes " + shape_string(condition.sizes()) + ", " + shape_string(t.sizes()) + " and " + shape_string(e.sizes()) + " differ");
  }
  return c.result(at::where(condition.to(at::kBool), t, e));
}

// addN(n); ids in io[0..n)
GB_EXPORT(addN) {
  const int32_t n = c.i32(0);
  check_at_least(n, 1, "addN: tensor count");
  const auto xs = c.tensors(0, static_cast<size_t>(n));
  for (const auto& x : xs) {
    check_same_dtype(x, xs[0], "addN");
    if (x.sizes() != xs[0].sizes()) fail("addN: shapes " + shape_string(xs[0].sizes()) + " and " + shape_string(x.sizes()) + " differ");
  }
  at::Tensor sum = xs[0].clone(at::MemoryFormat::Contiguous);
  for (size_t i = 1; i < xs.size(); i++) sum.add_(xs[i]);
  return c.result(sum);
}

}  // namespace gblend
