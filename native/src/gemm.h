// Matrix products on oneDNN's sgemm where it loads, else on ATen (gemm.cc).
#pragma once

#include "common.h"

#include <string>

namespace gblend {

// Loads oneDNN unless GBLEND_GEMM=aten; returns the engine's name ("oneDNN x.y.z" or "ATen").
std::string gemm_init();
std::string gemm_name();
// Switches engine ("dnnl" or "aten"); false when oneDNN is not loaded.
bool gemm_select(const std::string& name);

// a [m, k] times b [k, n], plus bias (broadcastable to [m, n]) when given. Any strides.
at::Tensor mm(const at::Tensor& a, const at::Tensor& b, const c10::optional<at::Tensor>& bias);
// tfjs' BatchMatMul on rank-2 or rank-3 operands (broadcast batch), plus bias.
at::Tensor matmul(const at::Tensor& a, const at::Tensor& b, const c10::optional<at::Tensor>& bias);

}  // namespace gblend
