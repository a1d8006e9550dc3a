// fma-peak: measures this CPU's peak fp32 FMA throughput (GFLOP/s), the ceiling that the bench's
// matmul1024 is compared against. Usage: fma-peak [threads=1] [seconds=1] [avx2|sse (force a narrower ISA)]
// Prints one JSON line: {"gflops": total, "per_thread": [...], "isa": "...", "threads": N, ...}
//
// Each kernel keeps independent accumulators a[i] = a[i]*m + c in vector registers. An FMA has a
// latency of ~4 cycles and up to 2 issue per cycle, so at least 8 independent chains are needed to
// keep both ports busy; 16 (AVX-512, 32 zmm registers) and 12 (AVX2, 16 ymm) leave margin. The
// chain converges to c/(1-m) = 1, so there are no overflows or denormals to slow it down.
// Built with plain -O2: the wide kernels get their ISA from target attributes and are chosen at
// run time, so one binary works on any x86-64.
#if !defined(__x86_64__) && !defined(__i386__)
#error "fma-peak: x86 only (uses SSE/AVX2/AVX-512 intrinsics)"
#endif
#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr long kInner = 1 << 14;  // iterations between clock reads (~100 us): clock cost is noise

// ---- AVX-512: 16 zmm accumulators x 16 lanes x 2 flops per FMA ----
__attribute__((target("avx512f"))) double block512() {
  const __m512 m = _mm512_set1_ps(0.9999f), c = _mm512_set1_ps(0.0001f);
  __m512 a0 = _mm512_set1_ps(0.0f), a1 = _mm512_set1_ps(0.01f), a2 = _mm512_set1_ps(0.02f), a3 = _mm512_set1_ps(0.03f);
  __m512 a4 = _mm512_set1_ps(0.04f), a5 = _mm512_set1_ps(0.05f), a6 = _mm512_set1_ps(0.06f), a7 = _mm512_set1_ps(0.07f);
  __m512 a8 = _mm512_set1_ps(0.08f), a9 = _mm512_set1_ps(0.09f), a10 = _mm512_set1_ps(0.10f), a11 = _mm512_set1_ps(0.11f);
  __m512 a12 = _mm512_set1_ps(0.12f), a13 = _mm512_set1_ps(0.13f), a14 = _mm512_set1_ps(0.14f), a15 = _mm512_set1_ps(0.15f);
  for (long i = 0; i < kInner; ++i) {
    a0 = _mm512_fmadd_ps(a0, m, c); a1 = _mm512_fmadd_ps(a1, m, c); a2 = _mm512_fmadd_ps(a2, m, c); a3 = _mm512_fmadd_ps(a3, m, c);
    a4 = _mm512_fmadd_ps(a4, m, c); a5 = _mm512_fmadd_ps(a5, m, c); a6 = _mm512_fmadd_ps(a6, m, c); a7 = _mm512_fmadd_ps(a7, m, c);
    a8 = _mm512_fmadd_ps(a8, m, c); a9 = _mm512_fmadd_ps(a9, m, c); a10 = _mm512_fmadd_ps(a10, m, c); a11 = _mm512_fmadd_ps(a11, m, c);
    a12 = _mm512_fmadd_ps(a12, m, c); a13 = _mm512_fmadd_ps(a13, m, c); a14 = _mm512_fmadd_ps(a14, m, c); a15 = _mm512_fmadd_ps(a15, m, c);
  }
  __m512 s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)), _mm512_add_ps(_mm512_add_ps(a4, a5), _mm512_add_ps(a6, a7)));
  s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a8, a9), _mm512_add_ps(a10, a11)), _mm512_add_ps(_mm512_add_ps(a12, a13), _mm512_add_ps(a14, a15))));
  alignas(64) float out[16];  // (not _mm512_reduce_add_ps: GCC 12's header warns in it)
  _mm512_store_ps(out, s);
  double r = 0;
  for (float f : out) r += f;
  return r;
}
constexpr double kFlops512 = 16.0 * 16 * 2 * kInner;

// ---- AVX2 + FMA: 12 ymm accumulators x 8 lanes x 2 flops ----
__attribute__((target("avx2,fma"))) double block256() {
  const __m256 m = _mm256_set1_ps(0.9999f), c = _mm256_set1_ps(0.0001f);
  __m256 a0 = _mm256_set1_ps(0.0f), a1 = _mm256_set1_ps(0.01f), a2 = _mm256_set1_ps(0.02f), a3 = _mm256_set1_ps(0.03f);
  __m256 a4 = _mm256_set1_ps(0.04f), a5 = _mm256_set1_ps(0.05f), a6 = _mm256_set1_ps(0.06f), a7 = _mm256_set1_ps(0.07f);
  __m256 a8 = _mm256_set1_ps(0.08f), a9 = _mm256_set1_ps(0.09f), a10 = _mm256_set1_ps(0.10f), a11 = _mm256_set1_ps(0.11f);
  for (long i = 0; i < kInner; ++i) {
    a0 = _mm256_fmadd_ps(a0, m, c); a1 = _mm256_fmadd_ps(a1, m, c); a2 = _mm256_fmadd_ps(a2, m, c); a3 = _mm256_fmadd_ps(a3, m, c);
    a4 = _mm256_fmadd_ps(a4, m, c); a5 = _mm256_fmadd_ps(a5, m, c); a6 = _mm256_fmadd_ps(a6, m, c); a7 = _mm256_fmadd_ps(a7, m, c);
    a8 = _mm256_fmadd_ps(a8, m, c); a9 = _mm256_fmadd_ps(a9, m, c); a10 = _mm256_fmadd_ps(a10, m, c); a11 = _mm256_fmadd_ps(a11, m, c);
  }
  __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)), _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7)));
  s = _mm256_add_ps(s, _mm256_add_ps(_mm256_add_ps(a8, a9), _mm256_add_ps(a10, a11)));
  alignas(32) float out[8];
  _mm256_store_ps(out, s);
  double r = 0;
  for (float f : out) r += f;
  return r;
}
constexpr double kFlops256 = 12.0 * 8 * 2 * kInner;

// ---- SSE (baseline x86-64): no FMA, so a separate mul and add, 2 flops per lane per pair ----
double block128() {
  const __m128 m = _mm_set1_ps(0.9999f), c = _mm_set1_ps(0.0001f);
  __m128 a0 = _mm_set1_ps(0.0f), a1 = _mm_set1_ps(0.01f), a2 = _mm_set1_ps(0.02f), a3 = _mm_set1_ps(0.03f);
  __m128 a4 = _mm_set1_ps(0.04f), a5 = _mm_set1_ps(0.05f), a6 = _mm_set1_ps(0.06f), a7 = _mm_set1_ps(0.07f);
  for (long i = 0; i < kInner; ++i) {
    a0 = _mm_add_ps(_mm_mul_ps(a0, m), c); a1 = _mm_add_ps(_mm_mul_ps(a1, m), c); a2 = _mm_add_ps(_mm_mul_ps(a2, m), c); a3 = _mm_add_ps(_mm_mul_ps(a3, m), c);
    a4 = _mm_add_ps(_mm_mul_ps(a4, m), c); a5 = _mm_add_ps(_mm_mul_ps(a5, m), c); a6 = _mm_add_ps(_mm_mul_ps(a6, m), c); a7 = _mm_add_ps(_mm_mul_ps(a7, m), c);
  }
  __m128 s = _mm_add_ps(_mm_add_ps(_mm_add_ps(a0, a1), _mm_add_ps(a2, a3)), _mm_add_ps(_mm_add_ps(a4, a5), _mm_add_ps(a6, a7)));
  alignas(16) float out[4];
  _mm_store_ps(out, s);
  return double(out[0]) + out[1] + out[2] + out[3];
}
constexpr double kFlops128 = 8.0 * 4 * 2 * kInner;

struct Isa {
  const char* name;
  double (*block)();
  double flops;  // per block() call
};

// The widest ISA this CPU has; `force` ("avx2", "sse") picks a narrower one, to test those paths.
Isa pick(const char* force) {
  const std::string f = force ? force : "";
  __builtin_cpu_init();
  if (f == "sse") return {"sse", block128, kFlops128};
  if (f != "avx2" && __builtin_cpu_supports("avx512f")) return {"avx512f", block512, kFlops512};
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return {"avx2", block256, kFlops256};
  return {"sse", block128, kFlops128};
}

// One repeat on one thread: GFLOP/s over about `seconds`.
double repeat(const Isa& isa, double seconds, double* sink) {
  long calls = 0;
  double sum = 0;
  const auto t0 = Clock::now();
  double elapsed = 0;
  do {
    sum += isa.block();
    ++calls;
    elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  } while (elapsed < seconds);
  *sink += sum;
  return calls * isa.flops / elapsed / 1e9;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::max(1, std::atoi(argv[1])) : 1;
  const double seconds = argc > 2 ? std::max(0.05, std::atof(argv[2])) : 1.0;
  constexpr int kRepeats = 5;  // median of 5 resists a noisy neighbour in one repeat
  const Isa isa = pick(argc > 3 ? argv[3] : nullptr);

  // Every thread runs its repeats at the same time as the others (they start together and each
  // repeat lasts the same time), so the total is the throughput of N busy cores, not N x one core.
  std::vector<std::vector<double>> rates(threads);
  std::vector<double> sinks(threads, 0.0);
  {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        repeat(isa, 0.05, &sinks[t]);  // warm-up: lets the clock ramp up (and AVX-512 license settle)
        for (int r = 0; r < kRepeats; ++r) rates[t].push_back(repeat(isa, seconds / kRepeats, &sinks[t]));
      });
    for (auto& th : pool) th.join();
  }

  std::vector<double> per;
  double total = 0, checksum = 0;
  for (int t = 0; t < threads; ++t) {
    per.push_back(median(rates[t]));
    total += per.back();
    checksum += sinks[t];
  }
  // The checksum is printed, so none of the kernel's work is dead code.
  std::printf("{\"gflops\": %.2f, \"per_thread\": [", total);
  for (int t = 0; t < threads; ++t) std::printf("%s%.2f", t ? ", " : "", per[t]);
  std::printf("], \"isa\": \"%s\", \"threads\": %d, \"repeats\": %d, \"seconds\": %.3g, \"checksum\": %.6g}\n", isa.name, threads, kRepeats, seconds, checksum);
  return 0;
}
