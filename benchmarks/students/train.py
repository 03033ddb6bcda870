"""Training loop and checkpoints shared by pretrain.py and finetune.py."""

import json
import math
import time

import numpy as np
import torch
import torch.nn.functional as F

from model import CompactLM, Config


def set_threads(n):
    """Cap torch's CPU threads (the machines are shared: 2 at most)."""
    torch.set_num_threads(max(1, min(int(n), 2)))


def batch_windows(stream, batch, context, rng):
    """Random [batch, context+1] windows of a compact-id stream (int64 numpy)."""
    starts = rng.integers(0, len(stream) - context - 1, size=batch)
    return torch.from_numpy(np.stack([stream[s : s + context + 1] for s in starts]))


def lr_at(step, steps, peak, warmup):
    """Linear warm-up then cosine decay to 10% of peak."""
    if step < warmup:
        return peak * (step + 1) / warmup
    frac = (step - warmup) / max(1, steps - warmup)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))


def loss_on(model, xy):
    """Mean next-token cross-entropy of one [b, t+1] window batch."""
    logits = model(xy[:, :-1])
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), xy[:, 1:].reshape(-1))


@torch.no_grad()
def evaluate(model, stream, context, batches=8, batch=16, seed=1):
    """Mean loss on fixed random windows of a held-out stream (nats/token)."""
    if stream is None or len(stream) < context + 2:
        return None
    model.eval()
    rng = np.random.default_rng(seed)
    losses = [loss_on(model, batch_windows(stream, batch, context, rng)).item() for _ in range(batches)]
    model.train()
    return float(np.mean(losses))


def train(model, stream, args, heldout=None, log=print):
    """AdamW on random windows; returns a list of log rows (step, loss, tokens/s)."""
    ctx = model.cfg.context
    if len(stream) < ctx + 2:
        raise ValueError(f"training stream has {len(stream)} tokens, need > {ctx + 1}")
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay, betas=(0.9, 0.95))
    rng = np.random.default_rng(args.seed)
    rows, seen, t0, running = [], 0, (time.time(), time.process_time()), None
    model.train()
    for step in range(args.steps):
        for g in opt.param_groups:
            g["lr"] = lr_at(step, args.steps, args.lr, args.warmup)
        loss = loss_on(model, batch_windows(stream, args.batch, ctx, rng))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        seen += args.batch * ctx
        running = loss.item() if running is None else 0.95 * running + 0.05 * loss.item()
        if (step + 1) % args.log_every == 0 or step + 1 == args.steps:
            rows.append(log_row(step + 1, running, seen, t0, model, heldout, log))
    return rows


def log_row(step, running, seen, t0, model, heldout, log):
    """One progress row, printed as a JSON line (speeds include held-out evaluation)."""
    wall, cpu = time.time() - t0[0], time.process_time() - t0[1]
    row = {"step": step, "loss": round(running, 4), "tokens": seen, "tokensPerSecond": round(seen / wall, 1),
           "tokensPerCpuSecond": round(seen / cpu, 1), "seconds": round(wall, 1)}
    ev = evaluate(model, heldout, model.cfg.context)
    if ev is not None:
        row["heldoutLoss"] = round(ev, 4)
    log(json.dumps(row))
    return row


def save_checkpoint(path, model, kept, tokenizer, history, meta):
    """Weights, sizes, the compact->full map and the training history in one .pt file."""
    torch.save({"config": model.cfg.to_dict(), "state": model.state_dict(),
                "kept": torch.from_numpy(kept), "tokenizer": tokenizer,
                "history": history, "meta": meta}, path)


def load_checkpoint(path):
    """(model, kept ids numpy, checkpoint dict) from save_checkpoint's file."""
    ck = torch.load(path, map_location="cpu")
    model = CompactLM(Config(**ck["config"]))
    model.load_state_dict(ck["state"])
    return model, ck["kept"].numpy(), ck


def add_train_args(p, steps, lr):
    """Optimiser arguments common to both training scripts."""
    p.add_argument("--steps", type=int, default=steps, help=f"optimiser steps (default {steps})")
    p.add_argument("--batch", type=int, default=16, help="sequences per step (default 16)")
    p.add_argument("--lr", type=float, default=lr, help=f"peak learning rate (default {lr})")
    p.add_argument("--warmup", type=int, default=100, help="warm-up steps (default 100)")
    p.add_argument("--weight-decay", type=float, default=0.1, help="AdamW weight decay (default 0.1)")
    p.add_argument("--seed", type=int, default=0, help="RNG seed (default 0)")
    p.add_argument("--threads", type=int, default=2, help="torch CPU threads, capped at 2 (default 2)")
    p.add_argument("--log-every", type=int, default=50, help="steps between progress lines (default 50)")
    p.add_argument("--heldout", help="optional .u32 file for a held-out loss at each progress line")
    p.add_argument("--tokenizer", default="cl100k_base", help="tokenizer of the id files (default cl100k_base)")
