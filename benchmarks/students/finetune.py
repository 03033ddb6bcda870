#!/usr/bin/python3
"""Fine-tune a copy of the base student on a mixture file.

The mixture (.u32, README.md) is prepared by the TypeScript side: human documents
plus a share rho of teacher outputs (watermarked or not), shuffled. The base
checkpoint is never modified; the fine-tuned copy keeps the base vocabulary (ids
outside it train as OTHER; their share is reported). --epochs, when given,
sets the number of steps from the mixture size.
"""

import argparse
import json
import math
import sys

import numpy as np
import torch

import tokens
import vocab
from pretrain import compact_stream, load_all
from train import add_train_args, load_checkpoint, save_checkpoint, set_threads, train


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("base", help="base checkpoint from pretrain.py")
    p.add_argument("mixture", help=".u32 mixture file")
    p.add_argument("-o", "--out", required=True, help="fine-tuned checkpoint to write (.pt)")
    p.add_argument("--epochs", type=float, default=None, help="passes over the mixture (overrides --steps)")
    add_train_args(p, steps=500, lr=3e-4)
    p.set_defaults(warmup=20)
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    set_threads(args.threads)
    torch.manual_seed(args.seed)
    model, kept, base = load_checkpoint(args.base)
    if base["tokenizer"] != args.tokenizer:
        raise SystemExit(f"base tokenizer {base['tokenizer']} != --tokenizer {args.tokenizer}")
    table = vocab.full_to_compact(kept, tokens.TOKENIZERS[args.tokenizer])
    docs, manifest = tokens.load_documents(args.mixture, args.tokenizer)
    stream = compact_stream(docs, table, args.tokenizer)
    if args.epochs is not None:
        args.steps = max(1, math.ceil(args.epochs * len(stream) / (args.batch * model.cfg.context)))
    heldout = compact_stream(load_all([args.heldout], args.tokenizer), table, args.tokenizer) if args.heldout else None
    info = {"documents": len(docs), "tokens": int(len(stream)), "steps": args.steps,
            "otherShare": round(float(np.mean(stream == vocab.OTHER)), 6)}
    print(json.dumps(info), file=sys.stderr)
    history = train(model, stream, args, heldout, log=lambda s: print(s, file=sys.stderr))
    meta = {"stage": "finetune", "base": args.base, "baseMeta": base["meta"], "mixture": args.mixture,
            "mixtureMeta": (manifest or {}).get("meta", {}), "args": vars(args), **info}
    save_checkpoint(args.out, model, kept, args.tokenizer, base["history"] + history, meta)
    print(json.dumps({"checkpoint": args.out, **info, "final": history[-1]}))


if __name__ == "__main__":
    main()
