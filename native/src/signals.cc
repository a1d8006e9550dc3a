// Signal blocking around oneDNN (signals.h).
#include "signals.h"

#include <ATen/Parallel.h>
#include <pthread.h>

#include <atomic>

namespace gblend {

SignalsBlocked::SignalsBlocked() {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old_);
}

SignalsBlocked::~SignalsBlocked() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }

namespace {
// Runs `body` once on every thread of the pool but the caller (one index per thread).
template <typename F>
void on_each_worker(F body) {
  const pthread_t caller = pthread_self();
  const int64_t n = at::get_num_threads();
  at::parallel_for(0, n, 1, [caller, &body](int64_t, int64_t) {
    if (!pthread_equal(pthread_self(), caller)) body();
  });
}
}  // namespace

void block_signals_in_workers() {
  on_each_worker([] {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, nullptr);
  });
}

int workers_taking_signals() {
  std::atomic<int> open{0};
  on_each_worker([&open] {
    sigset_t mask;
    pthread_sigmask(SIG_BLOCK, nullptr, &mask);
    if (sigismember(&mask, SIGPROF) != 1) open++;
  });
  return open.load();
}

}  // namespace gblend
