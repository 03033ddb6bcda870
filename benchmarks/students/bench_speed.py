#!/usr/bin/python3
"""Measure training speed (tokens/s) of a student size on random compact ids.

Runs --steps optimiser steps after one warm-up step and prints one JSON line:
wall-clock tokens/s, tokens per CPU-second (meaningful when the machine is shared)
and the BLAS library actually loaded (reference BLAS is several times slower than
OpenBLAS; see README.md).
"""

import argparse
import json
import time

import numpy as np
import torch

from model import CompactLM, Config, count_params
from train import batch_windows, loss_on, set_threads


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--vocab", type=int, default=8192, help="compact vocabulary size (default 8192)")
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--d-model", type=int, default=192)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--context", type=int, default=128)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    return p.parse_args(argv)


def blas_library():
    """Name of the BLAS shared object mapped into this process."""
    with open("/proc/self/maps", encoding="utf-8") as f:
        libs = {line.split()[-1] for line in f if "blas" in line.lower()}
    return sorted(libs)


def main(argv=None):
    args = parse_args(argv)
    set_threads(args.threads)
    cfg = Config(vocab=args.vocab, layers=args.layers, d_model=args.d_model, heads=args.heads, context=args.context)
    model = CompactLM(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    stream = np.random.default_rng(0).integers(0, args.vocab, size=200_000)
    rng = np.random.default_rng(1)
    for step in range(args.steps + 1):
        if step == 1:
            wall, cpu = time.time(), time.process_time()
        loss = loss_on(model, batch_windows(stream, args.batch, args.context, rng))
        opt.zero_grad()
        loss.backward()
        opt.step()
    wall, cpu = time.time() - wall, time.process_time() - cpu
    tokens = args.steps * args.batch * args.context
    print(json.dumps({"config": cfg.to_dict(), "batch": args.batch, "parameters": count_params(model),
                      "threads": torch.get_num_threads(), "tokensPerSecond": round(tokens / wall, 1),
                      "tokensPerCpuSecond": round(tokens / cpu, 1), "secondsPerStep": round(wall / args.steps, 3),
                      "blas": blas_library()}))


if __name__ == "__main__":
    main()
