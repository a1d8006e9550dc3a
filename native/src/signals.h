// Keeping signals out of oneDNN. oneDNN 2.6's kernels keep live data on the stack below
// the stack pointer: a signal delivered to a thread inside one (Node's profiler sends
// SIGPROF; SIGCHLD, SIGWINCH, SIGINT reach any thread) has the kernel write its signal
// frame over that data, and the heap is corrupted (reproduced in C with an empty SIGPROF
// handler). oneDNN runs under our direct dnnl_sgemm calls and under ATen's convolutions
// and pooling, on the calling thread and on the OpenMP pool's workers. So the calling
// thread blocks signals for the length of every such kernel (they are delivered when it
// returns), and the workers, which never need one, block them for good.
#pragma once

#include <signal.h>

namespace gblend {

// Blocks every signal on this thread while it lives.
class SignalsBlocked {
 public:
  SignalsBlocked();
  ~SignalsBlocked();
  SignalsBlocked(const SignalsBlocked&) = delete;
  SignalsBlocked& operator=(const SignalsBlocked&) = delete;

 private:
  sigset_t old_;
};

// Blocks every signal, for good, on each worker of the calling thread's OpenMP pool
// (libgomp keeps one pool per thread that starts parallel work). To call at init and
// after the thread count changes; the addon serves one environment, hence one thread.
void block_signals_in_workers();

// How many workers of the calling thread's pool would take SIGPROF (0 after the above).
int workers_taking_signals();

}  // namespace gblend
