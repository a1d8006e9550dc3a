#!/usr/bin/python3
"""PyTorch reference for gblend's benchmark workloads (bench/README.md).

Run with Debian's python3-torch: /usr/bin/python3 bench/torch_reference.py --threads 1
Prints one JSON object on stdout; progress on stderr. Same layer sizes, batches, optimizers
and timing policy (warm-up, then timed repeats, median) as bench/workloads/*.ts.

The epoch workloads are not Gradient-Blending reimplemented: they do the same computation as
gblend's run (same model, data, batches, optimizer, per-epoch evaluation of T' and V, and for
gblend-online a copy per head trained before each super-epoch), without the OGR arithmetic,
which costs microseconds.
"""
import argparse
import copy
import ctypes
import json
import os
import statistics
import sys
import time

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'avdigits')


def log(msg):
    print(f'torch: {msg}', file=sys.stderr, flush=True)


try:
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except Exception as err:  # noqa: BLE001 - any import failure means "no reference here"
    print(json.dumps({'available': False, 'reason': f'{type(err).__name__}: {err}', 'python': sys.executable}))
    sys.exit(0)


def openblas():
    """The OpenBLAS that torch's BLAS calls land in (Debian: libblas.so.3 wraps libopenblas.so.0)."""
    try:
        lib = ctypes.CDLL('libopenblas.so.0')
        lib.openblas_get_corename.restype = ctypes.c_char_p
        lib.openblas_get_config.restype = ctypes.c_char_p
        return lib
    except OSError:
        return None


def time_rate(run, opts, scale=1.0):
    run(max(1, opts.warmup))
    calib = max(1, (opts.warmup + 1) // 2)
    t0 = time.perf_counter()
    run(calib)
    per_iter = max(1e-6, (time.perf_counter() - t0) / calib)
    iters = max(opts.min_iters, int(-(-opts.seconds // per_iter)))
    samples = []
    for _ in range(opts.repeats):
        t0 = time.perf_counter()
        run(iters)
        samples.append(iters / (time.perf_counter() - t0) * scale)
    return {'value': statistics.median(samples), 'samples': samples, 'iters': iters}


def train_steps(model, loss_fn):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def run(n):
        for i in range(n):
            opt.zero_grad(set_to_none=True)
            loss = loss_fn()
            loss.backward()
            opt.step()
            if i == n - 1 and not torch.isfinite(loss).item():
                raise RuntimeError('loss is not finite')
    return run


def matmul1024(opts):
    n = 1024
    a, b = torch.randn(n, n), torch.randn(n, n)

    def run(k):
        for _ in range(k):
            torch.mm(a, b)
    return {**time_rate(run, opts, 2 * n ** 3 / 1e9), 'unit': 'GFLOP/s'}


class LateFusionMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc_a = nn.Sequential(nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU())
        self.enc_b = nn.Sequential(nn.Linear(128, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU())
        self.head_a, self.head_b, self.head_f = nn.Linear(256, 10), nn.Linear(256, 10), nn.Linear(512, 10)

    def forward(self, xa, xb):
        fa, fb = self.enc_a(xa), self.enc_b(xb)
        return self.head_a(fa), self.head_b(fb), self.head_f(torch.cat([fa, fb], 1))


def mlp_step(opts):
    model = LateFusionMLP()
    xa, xb, y = torch.randn(128, 512), torch.randn(128, 128), torch.randint(0, 10, (128,))

    def loss_fn():
        za, zb, zf = model(xa, xb)
        return F.cross_entropy(za, y) + F.cross_entropy(zb, y) + F.cross_entropy(zf, y)
    return {**time_rate(train_steps(model, loss_fn), opts), 'unit': 'steps/s'}


def conv_step(opts):
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(12 * 12 * 64, 128), nn.ReLU(), nn.Linear(128, 10))
    x, y = torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,))
    return {**time_rate(train_steps(model, lambda: F.cross_entropy(model(x), y)), opts), 'unit': 'steps/s'}


# ---- epoch workloads: gblend's default model and optimizer on avdigits -------------------------

class ConvEncoder(nn.Sequential):
    """gblend's conv encoder: conv 3x3 'same' 16, 32 with ReLU, pool 2 while >= 4x4, Dense 128 ReLU."""

    def __init__(self, h, w):
        layers, c = [], 1
        for f in (16, 32):
            layers += [nn.Conv2d(c, f, 3, padding=1), nn.ReLU()]
            c = f
            if h >= 4 and w >= 4:
                layers.append(nn.MaxPool2d(2))
                h, w = h // 2, w // 2
        super().__init__(*layers, nn.Flatten(), nn.Linear(c * h * w, 128), nn.ReLU())


class MultiHead(nn.Module):
    def __init__(self, shapes, heads):
        super().__init__()
        need = set(shapes) if 'fused' in heads else set(heads)
        self.mods = [m for m in shapes if m in need]
        self.enc = nn.ModuleDict({m: ConvEncoder(*shapes[m]) for m in self.mods})
        self.heads = nn.ModuleDict({h: nn.Sequential(nn.Linear(128 * len(self.mods), 128), nn.ReLU(), nn.Linear(128, 10))
                                    if h == 'fused' else nn.Linear(128, 10) for h in heads})

    def forward(self, xs, grad_scale=None):
        feats = {m: self.enc[m](xs[m]) for m in self.mods}
        out = {}
        for h, head in self.heads.items():
            x = torch.cat([feats[m] for m in self.mods], 1) if h == 'fused' else feats[h]
            s = (grad_scale or {}).get(h, 1.0)
            if s != 1.0 and x.requires_grad:
                x.register_hook(lambda g, s=s: g * s)
            out[h] = head(x)
        return out

    def sub(self, head):
        copy_ = copy.deepcopy(self)
        copy_.heads = nn.ModuleDict({head: copy_.heads[head]})
        if head != 'fused':
            copy_.mods = [head]
            copy_.enc = nn.ModuleDict({head: copy_.enc[head]})
        return copy_


class Data:
    def __init__(self, seed=0):
        split = np.load(os.path.join(DATA, 'split.npy'))
        self.y = torch.from_numpy(np.load(os.path.join(DATA, 'labels.npy')).astype(np.int64))
        train = np.flatnonzero(split == 0)
        rng = np.random.default_rng(seed)
        perm = rng.permutation(train)
        n_val = round(len(train) * 0.1)
        self.val, self.train = perm[:n_val], perm[n_val:]
        self.probe = rng.choice(self.train, n_val, replace=False)
        self.x, self.shapes = {}, {}
        for m in ('image', 'audio'):
            raw = np.load(os.path.join(DATA, f'{m}.npy')).astype(np.float32)
            mean, std = raw[self.train].mean(), raw[self.train].std()
            self.x[m] = torch.from_numpy((raw - mean) / std).unsqueeze(1)  # N, 1, H, W
            self.shapes[m] = raw.shape[1:]

    def batch(self, rows):
        idx = torch.as_tensor(rows)
        return {m: x.index_select(0, idx) for m, x in self.x.items()}, self.y.index_select(0, idx)


def sgd(model):
    return torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)


def train_epochs(model, data, epochs, weights, grad_scale, opt, batch=64):
    model.train()
    for _ in range(epochs):
        order = data.train[torch.randperm(len(data.train)).numpy()]
        for start in range(0, len(order), batch):
            xs, y = data.batch(order[start:start + batch])
            logits = model(xs, grad_scale)
            loss = sum(weights[h] * F.cross_entropy(z, y) for h, z in logits.items() if weights.get(h, 0) != 0)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()


@torch.no_grad()
def evaluate(model, data, rows):
    """Per-example loss and correctness of every head, brought back to the host (as gblend does)."""
    model.eval()
    out = {}
    for start in range(0, len(rows), 512):
        xs, y = data.batch(rows[start:start + 512])
        for h, z in model(xs).items():
            out[h] = (F.cross_entropy(z, y, reduction='none').numpy(), (z.argmax(1) == y).numpy())
    return out


def epoch_stats(model, data):
    return evaluate(model, data, data.probe), evaluate(model, data, data.val)


def run_seconds_per_epoch(data, method, epochs, warmup=2, every=2):
    """Seconds per epoch of one run, timed like bench/workloads/epochs.ts: training, per-epoch evaluation, estimates."""
    torch.manual_seed(0)
    heads = ['fused'] if method == 'naive' else ['image', 'audio', 'fused']
    model = MultiHead(data.shapes, heads)
    opt = sgd(model)
    weights = {h: 1.0 / len(heads) for h in heads} if method != 'naive' else {'fused': 1.0}
    # 'shared' blend mode: loss terms w_i / s_i (1 here) and encoder gradients scaled by s_i = w_i.
    coef = {h: 1.0 for h in heads}
    scale = None if method == 'naive' else dict(weights)
    starts = {} if method == 'naive' else {0: min(warmup, epochs), **{s: min(every, epochs - s) for s in range(warmup, epochs, every)}}
    t0 = time.perf_counter()
    for epoch in range(epochs):
        if epoch in starts:
            for h in heads:
                copy_ = model.sub(h)
                epoch_stats(copy_, data)
                train_epochs(copy_, data, starts[epoch], {h: 1.0}, None, sgd(copy_))
                epoch_stats(copy_, data)
        train_epochs(model, data, 1, coef, scale, opt)
        epoch_stats(model, data)
    return (time.perf_counter() - t0) / epochs


def epoch_workload(method, epochs):
    def measure(opts):
        data = Data()
        if opts.warmup > 0:
            run_seconds_per_epoch(data, 'naive', 1)
        samples = [run_seconds_per_epoch(data, method, epochs) for _ in range(max(1, opts.run_repeats))]
        return {'value': statistics.median(samples), 'samples': samples, 'iters': epochs, 'unit': 's/epoch'}
    return measure


WORKLOADS = {
    'matmul1024': matmul1024,
    'mlp_step': mlp_step,
    'conv_step': conv_step,
    'gblend_online_epoch': epoch_workload('gblend-online', 4),
    'naive_epoch': epoch_workload('naive', 2),
}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--threads', type=int, default=1, help='torch.set_num_threads; also the OpenBLAS threads unless --blas-threads')
    p.add_argument('--blas-threads', type=int, default=None)
    p.add_argument('--workloads', default=','.join(WORKLOADS))
    p.add_argument('--warmup', type=int, default=3)
    p.add_argument('--repeats', type=int, default=5)
    p.add_argument('--seconds', type=float, default=1.0)
    p.add_argument('--min-iters', type=int, default=3)
    p.add_argument('--run-repeats', type=int, default=3)
    opts = p.parse_args()
    torch.set_num_threads(opts.threads)
    blas = openblas()
    blas_threads = opts.blas_threads or opts.threads
    if blas is not None:
        # torch.set_num_threads does not reach OpenBLAS's own pthread pool.
        blas.openblas_set_num_threads(blas_threads)
    torch.manual_seed(0)
    results = {}
    for name in opts.workloads.split(','):
        log(f'{name} ...')
        try:
            results[name] = WORKLOADS[name](opts)
            log(f"{name} = {results[name]['value']:.4g} {results[name]['unit']}")
        except Exception as err:  # noqa: BLE001 - reported per workload
            results[name] = {'error': f'{type(err).__name__}: {err}'}
            log(f'{name} failed: {err}')
    print(json.dumps({
        'available': True,
        'torch': torch.__version__,
        'python': sys.executable,
        'threads': torch.get_num_threads(),
        'blas': None if blas is None else {
            'core': blas.openblas_get_corename().decode(),
            'config': blas.openblas_get_config().decode().strip(),
            'threads': blas.openblas_get_num_threads(),
            'coretype_env': os.environ.get('OPENBLAS_CORETYPE'),
        },
        'results': results,
    }))


if __name__ == '__main__':
    main()
