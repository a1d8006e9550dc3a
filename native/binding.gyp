# The gblend native addon: tfjs kernels on libtorch (ATen). Built by
# scripts/build-native.mjs. By default it uses a libtorch installed in the system paths
# (Debian's libtorch-dev); libtorch_include / libtorch_lib name another one (the script
# sets them from LIBTORCH=/path with include/ and lib/).
{
  "variables": {
    "libtorch_include%": "",
    "libtorch_lib%": "",
  },
  "targets": [
    {
      "target_name": "gblend_native",
      "sources": ["src/core.cc", "src/call.cc", "src/checks.cc", "src/signals.cc", "src/addon.cc", "src/data.cc", "src/ops_math.cc", "src/ops_reduce.cc", "src/ops_select.cc", "src/ops_shape.cc", "src/ops_index.cc", "src/nn_common.cc", "src/ops_nn.cc", "src/ops_pool.cc", "src/ops_optim.cc", "src/mlp_step.cc", "src/gemm.cc"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-O3", "-fno-math-errno", "-ffp-contract=off"],
      "libraries": ["-ltorch_cpu", "-lc10"],
      "conditions": [
        ["libtorch_include!=''", {
          "cflags_cc": ["-isystem", "<(libtorch_include)"],
        }],
        ["libtorch_lib!=''", {
          "ldflags": ["-L<(libtorch_lib)", "-Wl,-rpath,<(libtorch_lib)"],
        }],
      ],
    }
  ]
}
