"""Decoder-only transformer (pre-LN, learned positions, tied embeddings) and its
full-vocabulary wrapper used for ONNX export."""

import math
from dataclasses import asdict, dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MASK_VALUE = -1e9  # finite, so fully padded rows give a uniform softmax, not NaN


@dataclass
class Config:
    """Model sizes. `vocab` is the compact vocabulary size (OTHER included)."""

    vocab: int
    layers: int = 4
    d_model: int = 192
    heads: int = 4
    context: int = 128
    mlp_mult: int = 4
    dropout: float = 0.0

    def to_dict(self):
        return asdict(self)


class Block(nn.Module):
    """Pre-LN block: x + attn(ln(x)), then x + mlp(ln(x))."""

    def __init__(self, cfg):
        super().__init__()
        self.heads = cfg.heads
        self.ln1 = nn.LayerNorm(cfg.d_model)
        self.qkv = nn.Linear(cfg.d_model, 3 * cfg.d_model)
        self.proj = nn.Linear(cfg.d_model, cfg.d_model)
        self.ln2 = nn.LayerNorm(cfg.d_model)
        self.fc = nn.Linear(cfg.d_model, cfg.mlp_mult * cfg.d_model)
        self.out = nn.Linear(cfg.mlp_mult * cfg.d_model, cfg.d_model)
        self.drop = nn.Dropout(cfg.dropout)

    def attend(self, x, bias):
        b, t, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=2)
        shape = (b, t, self.heads, d // self.heads)
        q, k, v = (z.reshape(shape).transpose(1, 2) for z in (q, k, v))
        att = q @ k.transpose(-2, -1) * (1.0 / math.sqrt(d // self.heads)) + bias
        y = self.drop(F.softmax(att, dim=-1)) @ v
        return self.proj(y.transpose(1, 2).reshape(b, t, d))

    def forward(self, x, bias):
        x = x + self.drop(self.attend(self.ln1(x), bias))
        return x + self.drop(self.out(F.gelu(self.fc(self.ln2(x)))))


class CompactLM(nn.Module):
    """Causal LM over compact ids; logits over the compact vocabulary."""

    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.tok = nn.Embedding(cfg.vocab, cfg.d_model)
        self.pos = nn.Embedding(cfg.context, cfg.d_model)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.layers))
        self.ln_f = nn.LayerNorm(cfg.d_model)
        causal = torch.tril(torch.ones(cfg.context, cfg.context, dtype=torch.bool))
        self.register_buffer("causal", causal, persistent=False)
        self.apply(init_weights)

    def attn_bias(self, t, mask):
        """Additive [b|1, 1, t, t] bias: causal, plus padding keys when mask is given."""
        allowed = self.causal[:t, :t].unsqueeze(0).unsqueeze(0)
        if mask is not None:
            allowed = allowed & (mask[:, None, None, :] > 0)
        zero = torch.zeros((), dtype=torch.float32)
        return torch.where(allowed, zero, torch.full((), MASK_VALUE))

    def positions(self, ids, mask):
        """0..t-1, or with a mask cumsum(mask)-1 clipped at 0 (left padding works)."""
        if mask is None:
            return torch.arange(ids.shape[1], dtype=torch.int64).unsqueeze(0)
        return (torch.cumsum(mask, dim=1) - 1).clamp(min=0)

    def forward(self, ids, mask=None, last_only=False):
        x = self.tok(ids) + self.pos(self.positions(ids, mask))
        bias = self.attn_bias(ids.shape[1], mask)
        for block in self.blocks:
            x = block(x, bias)
        x = self.ln_f(x)
        # last_only: project only the last position (sampling needs no more; the output
        # projection over the vocabulary is most of the cost).
        return (x[:, -1:] if last_only else x) @ self.tok.weight.t()


def init_weights(m):
    """GPT-2 style init: N(0, 0.02), zero biases, unit LayerNorm."""
    if isinstance(m, (nn.Linear, nn.Embedding)):
        nn.init.normal_(m.weight, std=0.02)
    if isinstance(m, nn.Linear) and m.bias is not None:
        nn.init.zeros_(m.bias)


class FullVocabLM(nn.Module):
    """Full-tokenizer ids in, full-vocabulary logits out (the export contract).

    Input ids are mapped to compact ids through a table; the OTHER column becomes
    logit_other - ln(n_unused) and a Gather through the same table spreads the
    compact logits over the full vocabulary.
    """

    def __init__(self, compact, table, n_unused):
        super().__init__()
        self.compact = compact
        self.register_buffer("table", torch.as_tensor(table, dtype=torch.int64))
        self.floor_shift = float(math.log(n_unused)) if n_unused > 0 else 0.0

    def forward(self, input_ids, attention_mask=None, last_only=False):
        ids = self.table[input_ids]
        logits = self.compact(ids, attention_mask, last_only)
        other = logits[:, :, :1] - self.floor_shift
        logits = torch.cat([other, logits[:, :, 1:]], dim=2)
        return torch.index_select(logits, 2, self.table)


def count_params(model):
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def to_numpy(t):
    """Detached float64 numpy copy."""
    return t.detach().cpu().numpy().astype(np.float64)
