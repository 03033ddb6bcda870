#!/usr/bin/python3
"""Export a student checkpoint to ONNX with full-vocabulary logits.

Contract: input `input_ids` int64 [batch, seq] (and `attention_mask` int64
[batch, seq] unless --no-attention-mask), output `logits` float32
[batch, seq, vocab] over the whole tokenizer vocabulary (cl100k_base: 100,277),
dynamic batch and seq (seq <= context), opset 14. Ids outside the student's
compact vocabulary share its OTHER logit: logit_other - ln(n_unused). Writes
MODEL.onnx, MODEL.json (sidecar) and, with --reference, reference logits
computed by PyTorch for verify_onnx.mjs.
"""

import argparse
import json
import os

import numpy as np
import onnx
import torch

import reference
import tokens
import vocab
from model import FullVocabLM
from train import load_checkpoint, set_threads

OPSET = 14


class IdsOnly(torch.nn.Module):
    """The full-vocabulary model without the attention_mask input."""

    def __init__(self, full):
        super().__init__()
        self.full = full

    def forward(self, input_ids):
        return self.full(input_ids)


class LastOnly(torch.nn.Module):
    """The full-vocabulary model returning the last position only: logits [batch, 1, vocab]."""

    def __init__(self, full):
        super().__init__()
        self.full = full

    def forward(self, input_ids, attention_mask):
        return self.full(input_ids, attention_mask, last_only=True)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkpoint", help="checkpoint from pretrain.py or finetune.py")
    p.add_argument("-o", "--out", required=True, help="ONNX file to write (sidecar: same name, .json)")
    p.add_argument("--no-attention-mask", action="store_true", help="export input_ids as the only input")
    p.add_argument("--last-only", action="store_true",
                   help="logits of the last position only, [batch, 1, vocab] (fast sampling; needs the mask input)")
    p.add_argument("--reference", help="also write PyTorch reference logits to this JSON file")
    p.add_argument("--threads", type=int, default=2, help="torch CPU threads, capped at 2 (default 2)")
    return p.parse_args(argv)


def full_model(compact, kept, full_vocab):
    """FullVocabLM around a compact model, in eval mode."""
    table = vocab.full_to_compact(kept, full_vocab)
    model = FullVocabLM(compact, table, full_vocab - len(kept))
    return model.eval()


def export(model, path, with_mask, last_only=False):
    """torch.onnx.export with the standard names and dynamic axes; checks the file."""
    ids = torch.zeros((1, 4), dtype=torch.int64)
    axes = {"input_ids": {0: "batch", 1: "sequence"}, "logits": {0: "batch"} if last_only else {0: "batch", 1: "sequence"}}
    if last_only:
        model = LastOnly(model)
    if with_mask:
        args, names = (ids, torch.ones_like(ids)), ["input_ids", "attention_mask"]
        axes["attention_mask"] = {0: "batch", 1: "sequence"}
    else:
        args, names, model = (ids,), ["input_ids"], IdsOnly(model)
    with torch.no_grad():
        torch.onnx.export(model, args, path, input_names=names, output_names=["logits"],
                          dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))
    return names


def sidecar(path, ck, kept, names, full_vocab):
    """The JSON description written next to the ONNX file."""
    cfg, n_unused = ck["config"], full_vocab - len(kept)
    return {
        "format": "radiomark.student", "version": 1, "onnx": os.path.basename(path),
        "tokenizer": ck["tokenizer"], "vocabSize": full_vocab, "contextLength": cfg["context"],
        "eotId": tokens.EOT_IDS[ck["tokenizer"]], "inputs": names, "output": "logits", "opset": OPSET,
        "compactVocab": len(kept) + 1, "unusedIds": n_unused,
        "unusedLogit": "logit_other - ln(unusedIds)", "floorShift": float(np.log(n_unused)) if n_unused else 0.0,
        "compactMapSha256": vocab.map_hash(kept, full_vocab),
        "architecture": {"type": "decoder-only transformer, pre-LN, learned positions, tied embeddings", **cfg},
        "training": ck.get("meta", {}),
        "fileSha256": tokens.file_sha256(path), "fileBytes": os.path.getsize(path),
    }


def write_json(path, obj):
    """Pretty JSON, UTF-8."""
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


def main(argv=None):
    args = parse_args(argv)
    set_threads(args.threads)
    compact, kept, ck = load_checkpoint(args.checkpoint)
    full_vocab = tokens.TOKENIZERS[ck["tokenizer"]]
    model = full_model(compact, kept, full_vocab)
    if args.last_only and args.no_attention_mask:
        raise SystemExit("--last-only needs the attention_mask input")
    names = export(model, args.out, not args.no_attention_mask, args.last_only)
    side = sidecar(args.out, ck, kept, names, full_vocab)
    side["lastPositionOnly"] = bool(args.last_only)
    write_json(os.path.splitext(args.out)[0] + ".json", side)
    if args.reference:
        cases = reference.default_cases(kept, compact.cfg.context, "attention_mask" in names, full_vocab=full_vocab)
        write_json(args.reference, reference.build(model, args.out, cases, kept, full_vocab))
    print(json.dumps({"onnx": args.out, "bytes": side["fileBytes"], "inputs": names}))


if __name__ == "__main__":
    main()
