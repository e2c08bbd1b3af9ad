#!/usr/bin/env python3
"""OsteoNet's fine-tuning step in plain PyTorch, for the side-by-side benchmark with DJL.

Rebuilds the architecture of osteo-model (io.osteo.model.net.OsteoNet) layer for layer: ResNet
2D/3D of basic blocks (bias-free convolutions, BatchNorm momentum 0.1 / eps 1e-5, stride-2 stem,
optional 3x3 stride-2 max pooling, 1x1 conv-BN shortcuts where stride or width change, global
average pooling), the device-aware mixture-of-experts decoder (x = P + D, softmax gate MLP, N
expert MLPs with 21 outputs mixed by the gate) and the unified multi-task loss
1.0*CE(class) + 1.0*MSE(BMD, NaN = missing) + 0.5*CE(position, -1 = missing). The optimiser is
torch.optim.AdamW (betas 0.9/0.999, eps 1e-8, weight decay 0.1 on weights only, like
DecoupledAdamW). It prints the trainable parameter count (the DJL side prints the same number)
and per-step timings: forward+loss, backward, optimiser, total (wall; medians over the measured
steps), and the process CPU time per step (all threads, mean over the measured steps; less
sensitive to other load than wall time).

Not part of the build or CI. Needs Debian's python3-torch (PyTorch 1.13):
    apt-get install -y python3-torch
Run:  /usr/bin/python3 benchmarks/pytorch/osteonet_step.py --preset cpuSmall --threads 2
Presets match OsteoNetConfig.paper() / cpuSmall() and NetworkBenchmark (batch 8).
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PRESETS = {
    # depth blocks, base width, stem kernel, stem max pool, patch, gate hidden, expert hidden
    "paper": dict(blocks=(3, 4, 6, 3), width=64, stem=7, maxpool=True, patch=64, gate=64, expert=256),
    "cpuSmall": dict(blocks=(1, 1, 1, 1), width=8, stem=3, maxpool=False, patch=32, gate=16, expert=32),
}
EXPERTS = 3
DEVICES = 4  # DxaDevice.EMBEDDING_COUNT (HOLOGIC, GE_LUNAR, MEDIX, UNKNOWN)
CLASSES, BMD, POSITIONS = 2, 1, 18
TOTAL = CLASSES + BMD + POSITIONS


def conv(dims, cin, cout, k, s, p):
    c = (nn.Conv3d if dims == 3 else nn.Conv2d)(cin, cout, k, s, p, bias=False)
    nn.init.kaiming_normal_(c.weight, mode="fan_out", nonlinearity="relu")
    return c


def bn(dims, c):
    return (nn.BatchNorm3d if dims == 3 else nn.BatchNorm2d)(c, eps=1e-5, momentum=0.1)


class BasicBlock(nn.Module):
    def __init__(self, dims, cin, cout, stride):
        super().__init__()
        self.conv1 = conv(dims, cin, cout, 3, stride, 1)
        self.bn1 = bn(dims, cout)
        self.conv2 = conv(dims, cout, cout, 3, 1, 1)
        self.bn2 = bn(dims, cout)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(conv(dims, cin, cout, 1, stride, 0), bn(dims, cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))


class ResNet(nn.Module):
    def __init__(self, dims, blocks, width, stem, maxpool, cin=1):
        super().__init__()
        self.dims = dims
        self.stem_conv = conv(dims, cin, width, stem, 2, stem // 2)
        self.stem_bn = bn(dims, width)
        self.maxpool = maxpool
        layers = []
        c = width
        for s, n in enumerate(blocks):
            f = width << s
            for b in range(n):
                layers.append(BasicBlock(dims, c, f, 2 if (s > 0 and b == 0) else 1))
                c = f
        self.stages = nn.Sequential(*layers)

    def forward(self, x):
        x = F.relu(self.stem_bn(self.stem_conv(x)))
        if self.maxpool:
            x = (F.max_pool3d if self.dims == 3 else F.max_pool2d)(x, 3, 2, 1)
        x = self.stages(x)
        return torch.flatten(F.adaptive_avg_pool3d(x, 1) if self.dims == 3 else F.adaptive_avg_pool2d(x, 1), 1)


def mlp(cin, hidden, out):
    return nn.Sequential(nn.Linear(cin, hidden), nn.ReLU(), nn.Linear(hidden, out))


class MoeDecoder(nn.Module):
    def __init__(self, features, gate_hidden, expert_hidden, experts=EXPERTS):
        super().__init__()
        self.table = nn.Parameter(torch.randn(DEVICES, features) * 0.02)
        self.gate = mlp(features, gate_hidden, experts)
        self.experts = nn.ModuleList(mlp(features, expert_hidden, TOTAL) for _ in range(experts))

    def forward(self, p, ids):
        x = p + F.one_hot(ids, DEVICES).to(p.dtype) @ self.table
        alpha = F.softmax(self.gate(x), dim=1)
        stacked = torch.stack([e(x) for e in self.experts], 1)  # [B, N, 21]
        mixed = (stacked * alpha.unsqueeze(2)).sum(1)
        return mixed[:, :CLASSES], mixed[:, CLASSES:CLASSES + BMD], mixed[:, CLASSES + BMD:], alpha


class OsteoNet(nn.Module):
    def __init__(self, preset):
        super().__init__()
        c = PRESETS[preset]
        self.backbone = ResNet(3, c["blocks"], c["width"], c["stem"], c["maxpool"])
        self.decoder = MoeDecoder(8 * c["width"], c["gate"], c["expert"])

    def forward(self, image, ids):
        p = self.backbone(image)
        return (*self.decoder(p, ids), p)


def multitask_loss(out, cls, bmd, pos):
    def masked_ce(logits, labels):
        present = (labels >= 0).to(logits.dtype)
        nll = F.cross_entropy(logits, labels.clamp(min=0), reduction="none")
        return (nll * present).sum() / present.sum().clamp(min=1)

    pred = out[1].reshape(-1)
    present = ~torch.isnan(bmd)
    mask = present.to(pred.dtype)
    diff = (pred - torch.where(present, bmd, torch.zeros_like(bmd))) * mask
    mse = diff.square().sum() / mask.sum().clamp(min=1)
    return 1.0 * masked_ce(out[0], cls) + 1.0 * mse + 0.5 * masked_ce(out[2], pos)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", choices=sorted(PRESETS), default="cpuSmall")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true", help="print one JSON line instead of text")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(a.seed)
    net = OsteoNet(a.preset).train()
    params = sum(p.numel() for p in net.parameters() if p.requires_grad)
    decayed = [p for n, p in net.named_parameters() if p.dim() > 1]  # conv/linear weights, device table
    kept = [p for n, p in net.named_parameters() if p.dim() <= 1]  # biases, BN gamma/beta
    opt = torch.optim.AdamW([{"params": decayed, "weight_decay": 0.1}, {"params": kept, "weight_decay": 0.0}],
                            lr=1e-5, betas=(0.9, 0.999), eps=1e-8)
    patch = PRESETS[a.preset]["patch"]
    image = torch.randn(a.batch, 1, patch, patch, patch)
    ids = torch.tensor([0, 1, 2, 3, 0, 1, 2, 3][: a.batch], dtype=torch.long)
    cls = torch.tensor([0, 1, 0, 1, 0, 1, 0, 1][: a.batch], dtype=torch.long)
    bmd = torch.tensor([0.8, 0.9, 1.0, 1.1, 0.7, 0.6, float("nan"), 1.2][: a.batch])
    pos = torch.tensor([12, 13, 14, 15, 16, 11, 10, 9][: a.batch], dtype=torch.long)

    fwd, bwd, upd, tot, cpu = [], [], [], [], []
    for i in range(a.warmup + a.steps):
        c0 = time.process_time()
        t0 = time.perf_counter()
        loss = multitask_loss(net(image, ids), cls, bmd, pos)
        value = loss.item()
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        opt.step()
        opt.zero_grad(set_to_none=True)
        t3 = time.perf_counter()
        c1 = time.process_time()
        if i == a.warmup - 1:
            faults0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            cpu0 = time.process_time()
        if i >= a.warmup:
            cpu.append(c1 - c0)
            fwd.append(t1 - t0)
            bwd.append(t2 - t1)
            upd.append(t3 - t2)
            tot.append(t3 - t0)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    faults = (usage.ru_minflt - (faults0 if a.warmup > 0 else 0)) / a.steps
    cpu = [(time.process_time() - (cpu0 if a.warmup > 0 else 0)) / a.steps]  # CPU over the measured steps / steps
    med = {k: statistics.median(v) for k, v in (("forward", fwd), ("backward", bwd), ("optimizer", upd), ("step", tot), ("cpu", cpu))}
    result = dict(side="pytorch", version=torch.__version__, preset=a.preset, batch=a.batch, threads=torch.get_num_threads(),
                  parameters=params, steps=a.steps, loss=value, ld_preload=os.environ.get("LD_PRELOAD", ""),
                  omp_wait_policy=os.environ.get("OMP_WAIT_POLICY", ""),
                  minor_faults_per_step=faults, peak_rss_mb=usage.ru_maxrss / 1024, **{k + "_s": v for k, v in med.items()})
    if a.json:
        print(json.dumps(result))
    else:
        print(f"pytorch {torch.__version__} preset {a.preset} batch {a.batch} threads {result['threads']} "
              f"parameters {params}")
        print("median s: " + " ".join(f"{k} {v:.4f}" for k, v in med.items())
              + f"; minor faults/step {faults:.0f}, peak RSS {usage.ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
