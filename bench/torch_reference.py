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
import math
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


class MLPEncoder(nn.Sequential):
    """gblend's MLP encoder: Dense + ReLU per width (small regime: 128, 64)."""

    def __init__(self, features, widths):
        layers = []
        for w in widths:
            layers += [nn.Linear(features, w), nn.ReLU()]
            features = w
        super().__init__(*layers)


class MultiHead(nn.Module):
    """gblend's multi-head model: an encoder per modality, a Dense head per modality, and a fused head
    (Dense 128 ReLU, Dense classes) on the concatenated features. `encoder(shape)` builds one encoder,
    whose output has `features` values."""

    def __init__(self, shapes, heads, encoder=lambda shape: ConvEncoder(*shape), features=128, classes=10):
        super().__init__()
        need = set(shapes) if 'fused' in heads else set(heads)
        self.mods = [m for m in shapes if m in need]
        self.enc = nn.ModuleDict({m: encoder(shapes[m]) for m in self.mods})
        self.heads = nn.ModuleDict({h: nn.Sequential(nn.Linear(features * len(self.mods), 128), nn.ReLU(), nn.Linear(128, classes))
                                    if h == 'fused' else nn.Linear(features, classes) for h in heads})

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
    """avdigits as gblend prepares it (the epoch workloads)."""
    batch_size = 64

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

    def model(self, heads):
        return MultiHead(self.shapes, heads)


# The small regime of issue 13 (bench/workloads/small-setup.ts: SMALL there, SMALL here).
SMALL = {'views': {'fou': 76, 'kar': 64}, 'classes': 10, 'mlp_hidden': (128, 64), 'batch': 32, 'epochs': 100,
         'sizes': {'train': 180, 'val': 20, 'probe': 20}, 'step_examples': 1600,
         'warmup_steps': 1500}


class SmallData(Data):
    """Synthetic two-view data of the small regime, standardised per feature on the training rows as gblend
    does: `rows` examples, of which V (val) is held out and T' (probe) drawn from the rest, in gblend's sizes."""
    batch_size = SMALL['batch']

    def __init__(self, rows, seed=0):  # pylint: disable=super-init-not-called (Data's reads avdigits)
        rng = np.random.default_rng(seed)
        classes = SMALL['classes']
        y = np.arange(rows) % classes
        self.y = torch.from_numpy(y.astype(np.int64))
        perm = rng.permutation(rows)
        n_val = round(rows * 0.1)
        self.val, self.train = perm[:n_val], perm[n_val:]
        self.probe = rng.choice(self.train, n_val, replace=False)
        self.x, self.shapes = {}, {}
        for m, width in SMALL['views'].items():
            raw = (rng.standard_normal((classes, width))[y] + 2 * rng.standard_normal((rows, width))).astype(np.float32)
            mean, std = raw[self.train].mean(0), raw[self.train].std(0)
            self.x[m] = torch.from_numpy((raw - mean) / std)
            self.shapes[m] = (width,)

    def model(self, heads):
        return MultiHead(self.shapes, heads, encoder=lambda shape: MLPEncoder(shape[0], SMALL['mlp_hidden']),
                         features=SMALL['mlp_hidden'][-1], classes=SMALL['classes'])


def sgd(model):
    return torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)


def train_step(model, data, rows, weights, grad_scale, opt):
    """One step of gblend's loop: gather the batch, forward, blended loss, backward, update, read the loss."""
    xs, y = data.batch(rows)
    logits = model(xs, grad_scale)
    loss = sum(weights[h] * F.cross_entropy(z, y) for h, z in logits.items() if weights.get(h, 0) != 0)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    # gblend reads every step's loss back (to stop on divergence) before it updates.
    if not math.isfinite(loss.item()):
        raise RuntimeError('loss is not finite')
    opt.step()


def train_epochs(model, data, epochs, weights, grad_scale, opt, rows=None):
    model.train()
    rows = data.train if rows is None else rows
    batch = data.batch_size
    for _ in range(epochs):
        order = rows[torch.randperm(len(rows)).numpy()]
        for start in range(0, len(order), batch):
            train_step(model, data, order[start:start + batch], weights, grad_scale, opt)


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


def run_seconds(data, method, epochs, warmup=2, every=2):
    """Seconds of one run, timed like bench/workloads/timed-run.ts: training, per-epoch evaluation, estimates."""
    torch.manual_seed(0)
    heads = ['fused'] if method == 'naive' else [*data.shapes, 'fused']
    model = data.model(heads)
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
    return time.perf_counter() - t0


def epoch_workload(method, epochs):
    def measure(opts):
        data = Data()
        if opts.warmup > 0:
            run_seconds(data, 'naive', 1)
        samples = [run_seconds(data, method, epochs) / epochs for _ in range(max(1, opts.run_repeats))]
        return {'value': statistics.median(samples), 'samples': samples, 'iters': epochs, 'unit': 's/epoch'}
    return measure


# ---- small regime (issue 13): bench/workloads/small-mlp-step.ts and small-run.ts ---------------

def small_mlp_step(opts):
    """One step of gblend's loop on the small model: 3 heads, loss = sum of their mean cross-entropies."""
    # gblend's step cycles through the 1,440 training rows of 1,600 (2,000 less the test fifth, V held out).
    data = SmallData(SMALL['step_examples'])
    model = data.model([*SMALL['views'], 'fused'])
    opt = sgd(model)
    weights = {h: 1.0 for h in model.heads}
    model.train()

    def run(n):
        rows = data.train[np.arange(n * SMALL['batch']) % len(data.train)]
        order = rows[torch.randperm(len(rows)).numpy()]
        for start in range(0, len(order), SMALL['batch']):
            train_step(model, data, order[start:start + SMALL['batch']], weights, None, opt)
    if opts.warmup > 0:
        run(SMALL['warmup_steps'])
    return {**time_rate(run, opts), 'unit': 'steps/s'}


SMALL_RUN_METHODS = ('naive', 'gblend-online')


def small_run(opts):
    """A naive and a gblend-online run (estimates before epoch 0 and every 5 epochs from 10, gblend's defaults), 100 epochs."""
    sizes = SMALL['sizes']
    data = SmallData(sizes['train'] + sizes['val'])
    assert (len(data.train), len(data.val), len(data.probe)) == (sizes['train'], sizes['val'], sizes['probe'])
    if opts.warmup > 0:
        run_seconds(data, 'naive', 1)
    per_method = {m: [] for m in SMALL_RUN_METHODS}
    samples = []
    for _ in range(max(1, opts.run_repeats)):
        for m in SMALL_RUN_METHODS:
            per_method[m].append(run_seconds(data, m, SMALL['epochs'], warmup=10, every=5))
        samples.append(sum(per_method[m][-1] for m in SMALL_RUN_METHODS))
    return {'value': statistics.median(samples), 'samples': samples, 'iters': SMALL['epochs'], 'unit': 's',
            'parts': {m: statistics.median(xs) for m, xs in per_method.items()}}


WORKLOADS = {
    'matmul1024': matmul1024,
    'mlp_step': mlp_step,
    'conv_step': conv_step,
    'gblend_online_epoch': epoch_workload('gblend-online', 4),
    'naive_epoch': epoch_workload('naive', 2),
    'small_mlp_step': small_mlp_step,
    'small_run': small_run,
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
