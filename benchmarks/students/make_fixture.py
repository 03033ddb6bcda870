#!/usr/bin/python3
"""Build the tiny deterministic ONNX fixtures for the TypeScript ONNX-reader tests.

Random weights (fixed seed), 2 layers, d=32, 2 heads, context 64, a compact
vocabulary of 256 cl100k_base ids (255 drawn from ids < 2000, plus <|endoftext|>)
plus OTHER, exported with full-vocabulary logits (100,277). Two models: one with
inputs input_ids + attention_mask, one with input_ids only. Each comes with a
sidecar (.json) and PyTorch reference logits (.reference.json) that an ONNX
runtime must match within 1e-4. Weights are drawn at a larger scale than training
init so the logits spread over several units and a wrong graph cannot pass.
"""

import argparse
import json
import os

import numpy as np
import torch

import reference
import tokens
from export_onnx import export, full_model, sidecar, write_json
from model import CompactLM, Config

TOKENIZER = "cl100k_base"


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.normpath(os.path.join(here, "..", "..", "test", "fixtures", "onnx"))
    p.add_argument("--out-dir", default=default, help=f"output folder (default {default})")
    p.add_argument("--seed", type=int, default=20240615, help="weight and vocabulary seed")
    return p.parse_args(argv)


def kept_ids(seed):
    """255 distinct ids below 2000 plus <|endoftext|>, sorted."""
    rng = np.random.default_rng(seed)
    low = rng.choice(2000, size=255, replace=False)
    return np.sort(np.concatenate([low, [tokens.EOT_IDS[TOKENIZER]]])).astype(np.int64)


def tiny_model(seed, vocab_size):
    """CompactLM with spread-out random weights."""
    torch.manual_seed(seed)
    model = CompactLM(Config(vocab=vocab_size, layers=2, d_model=32, heads=2, context=64))
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() == 2:
                std = 0.5 if name in ("tok.weight", "pos.weight") else p.shape[1] ** -0.5
                p.normal_(0.0, std)
            elif name.endswith("weight"):
                p.copy_(1.0 + 0.1 * torch.randn_like(p))
            else:
                p.normal_(0.0, 0.1)
    return model.eval()


def build_one(out_dir, name, compact, kept, with_mask, seed):
    """Export one fixture model with its sidecar and reference logits."""
    full_vocab = tokens.TOKENIZERS[TOKENIZER]
    model = full_model(compact, kept, full_vocab)
    path = os.path.join(out_dir, name + ".onnx")
    names = export(model, path, with_mask)
    ck = {"config": compact.cfg.to_dict(), "tokenizer": TOKENIZER,
          "meta": {"stage": "fixture", "seed": seed, "script": "benchmarks/students/make_fixture.py"}}
    write_json(os.path.join(out_dir, name + ".json"), sidecar(path, ck, kept, names, full_vocab))
    cases = reference.default_cases(kept, compact.cfg.context, with_mask, seed=seed, full_vocab=full_vocab)
    ref = reference.build(model, path, cases, kept, full_vocab)
    write_json(os.path.join(out_dir, name + ".reference.json"), ref)
    return {"onnx": path, "bytes": os.path.getsize(path), "inputs": names}


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(1)
    os.makedirs(args.out_dir, exist_ok=True)
    kept = kept_ids(args.seed)
    compact = tiny_model(args.seed, len(kept) + 1)
    for name, with_mask in (("tiny-cl100k", True), ("tiny-cl100k-ids-only", False)):
        print(json.dumps(build_one(args.out_dir, name, compact, kept, with_mask, args.seed)))


if __name__ == "__main__":
    main()
