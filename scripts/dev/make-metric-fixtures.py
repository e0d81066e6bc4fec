#!/usr/bin/env python3
"""DEV ONLY: writes the tiny random-weight SigLIP-2 and DINOv3 stand-ins under tests/fixtures/metrics/.

They have the real exports' ONNX inputs and outputs and a processor config of the same kind as the
real models' (tests/fixtures/metrics/README.md), so the arena's whole path (load, preprocess, embed,
pair, store) runs in `npm test` on a machine without the real weights. The numbers they produce mean
nothing. Needs only `onnx` and `numpy` (pip install onnx numpy); a fixed seed makes the files
byte-identical on every run.

    python3 scripts/dev/make-metric-fixtures.py [out_dir]
"""
import json
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
SEED = 20261208
D = 32  # hidden size
MLP = 64
PATCH = 16


class Graph:
    """A small builder: named initialisers from a seeded generator, nodes appended in order."""

    def __init__(self, rng):
        self.rng = rng
        self.nodes = []
        self.inits = []
        self.n = 0

    def name(self, base):
        self.n += 1
        return f"{base}_{self.n}"

    def weight(self, base, shape, scale=0.2):
        arr = (self.rng.standard_normal(shape) * scale).astype(np.float32)
        return self.const(base, arr)

    def const(self, base, arr):
        nm = self.name(base)
        self.inits.append(numpy_helper.from_array(np.asarray(arr), nm))
        return nm

    def op(self, kind, inputs, **attrs):
        out = self.name(kind.lower())
        self.nodes.append(helper.make_node(kind, inputs, [out], **attrs))
        return out

    def linear(self, x, din, dout):
        return self.op("Add", [self.op("MatMul", [x, self.weight("w", (din, dout))]), self.weight("b", (dout,), 0.02)])

    def layer_norm(self, x):
        return self.op("LayerNormalization", [x, self.const("ln_g", np.ones(D, np.float32)), self.const("ln_b", np.zeros(D, np.float32))], axis=-1, epsilon=1e-6)

    def gelu(self, x):
        # erf form: 0.5 x (1 + erf(x / sqrt 2))
        inner = self.op("Erf", [self.op("Div", [x, self.const("sqrt2", np.array(np.sqrt(2.0), np.float32))])])
        return self.op("Mul", [self.op("Mul", [x, self.const("half", np.array(0.5, np.float32))]), self.op("Add", [inner, self.const("one", np.array(1.0, np.float32))])])

    def attention(self, q_in, kv_in, bias=None):
        """Single-head scaled dot-product attention; `bias` is an additive key mask [B, 1, N]."""
        q = self.linear(q_in, D, D)
        k = self.linear(kv_in, D, D)
        v = self.linear(kv_in, D, D)
        scores = self.op("Div", [self.op("MatMul", [q, self.op("Transpose", [k], perm=[0, 2, 1])]), self.const("scale", np.array(np.sqrt(D), np.float32))])
        if bias is not None:
            scores = self.op("Add", [scores, bias])
        return self.linear(self.op("MatMul", [self.op("Softmax", [scores], axis=-1), v]), D, D)

    def block(self, x, bias=None):
        """Pre-norm transformer block, as in both SigLIP and DINOv3 encoders."""
        h = self.layer_norm(x)
        x = self.op("Add", [x, self.attention(h, h, bias)])
        h = self.linear(self.gelu(self.linear(self.layer_norm(x), D, MLP)), MLP, D)
        return self.op("Add", [x, h])

    def key_bias(self, mask):
        """[B, N] int64 mask -> [B, 1, N] additive bias (0 kept, -1e4 masked)."""
        m = self.op("Cast", [mask], to=TensorProto.FLOAT)
        neg = self.op("Mul", [self.op("Sub", [self.const("one", np.array(1.0, np.float32)), m]), self.const("neg", np.array(-1e4, np.float32))])
        return self.op("Unsqueeze", [neg, self.const("ax1", np.array([1], np.int64))])

    def save(self, path, inputs, outputs, out_name):
        self.nodes.append(helper.make_node("Identity", [outputs], [out_name]))
        graph = helper.make_graph(self.nodes, "tiny", inputs, [helper.make_tensor_value_info(out_name, TensorProto.FLOAT, ["batch", D])], self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="3dcodearena-dev-fixtures")
        model.ir_version = 8
        onnx.checker.check_model(model)
        path.write_bytes(model.SerializeToString())


def siglip2_vision(out, rng, max_patches):
    """NaFlex input as the processor gives it: patches [B, N, 16*16*3], their mask, the patch grid."""
    g = Graph(rng)
    x = g.linear("pixel_values", PATCH * PATCH * 3, D)
    x = g.op("Add", [x, g.weight("pos", (max_patches, D), 0.02)])
    bias = g.key_bias("pixel_attention_mask")
    x = g.layer_norm(g.block(x, bias))  # post_layernorm
    # Multihead-attention pooling head: one learned probe attends over the valid patches.
    probe = g.op("Expand", [g.weight("probe", (1, 1, D)), g.op("Concat", [g.op("Slice", [g.op("Shape", ["pixel_values"]), g.const("s0", np.array([0], np.int64)), g.const("s1", np.array([1], np.int64))]), g.const("one_d", np.array([1, D], np.int64))], axis=0)])
    pooled = g.attention(probe, x, bias)
    pooled = g.op("Add", [pooled, g.linear(g.gelu(g.linear(g.layer_norm(pooled), D, MLP)), MLP, D)])
    pooled = g.op("Squeeze", [pooled, g.const("ax1", np.array([1], np.int64))])
    # spatial_shapes is part of the real export's signature (it sizes the position-embedding grid);
    # this stand-in has one fixed grid, so it only checks the input is fed.
    touch = g.op("Cast", [g.op("ReduceSum", ["spatial_shapes"], keepdims=0), ], to=TensorProto.FLOAT)
    pooled = g.op("Add", [pooled, g.op("Mul", [touch, g.const("zero", np.array(0.0, np.float32))])])
    g.save(out / "vision_model.onnx", [
        helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["batch", max_patches, PATCH * PATCH * 3]),
        helper.make_tensor_value_info("pixel_attention_mask", TensorProto.INT64, ["batch", max_patches]),
        helper.make_tensor_value_info("spatial_shapes", TensorProto.INT64, ["batch", 2]),
    ], pooled, "pooler_output")


def siglip2_text(out, rng, vocab, max_len):
    """Token + position embeddings, a block, final norm, the LAST position through the head (SigLIP)."""
    g = Graph(rng)
    x = g.op("Gather", [g.weight("tok", (vocab, D)), "input_ids"], axis=0)
    x = g.op("Add", [x, g.weight("pos", (max_len, D), 0.02)])
    x = g.layer_norm(g.block(x, g.key_bias("attention_mask")))
    last = g.op("Gather", [x, g.const("last", np.array(max_len - 1, np.int64))], axis=1)
    g.save(out / "text_model.onnx", [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", max_len]),
        helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", max_len]),
    ], g.linear(last, D, D), "pooler_output")


def dinov3(out, rng, size, registers=4):
    """Conv patch embed, CLS + register tokens, a block, final norm; pooled output = normed CLS."""
    g = Graph(rng)
    n = (size // PATCH) ** 2
    x = g.op("Conv", ["pixel_values", g.weight("conv", (D, 3, PATCH, PATCH), 0.05), g.weight("conv_b", (D,), 0.02)], strides=[PATCH, PATCH])
    x = g.op("Transpose", [g.op("Reshape", [x, g.const("shp", np.array([0, D, n], np.int64))])], perm=[0, 2, 1])
    batch = g.op("Slice", [g.op("Shape", ["pixel_values"]), g.const("s0", np.array([0], np.int64)), g.const("s1", np.array([1], np.int64))])
    lead = g.op("Expand", [g.weight("cls_reg", (1, 1 + registers, D)), g.op("Concat", [batch, g.const("rest", np.array([1 + registers, D], np.int64))], axis=0)])
    x = g.op("Concat", [lead, x], axis=1)
    x = g.layer_norm(g.block(x))
    g.save(out / "model.onnx", [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["batch", 3, size, size])],
           g.op("Gather", [x, g.const("cls", np.array(0, np.int64))], axis=1), "pooler_output")


def tokenizer_files(out, max_len):
    """A Gemma-style BPE (SentencePiece spaces as '▁', byte fallback), small vocabulary."""
    specials = ["<pad>", "<eos>", "<bos>", "<unk>"]
    vocab = {t: i for i, t in enumerate(specials)}
    for b in range(256):
        vocab[f"<0x{b:02X}>"] = len(vocab)
    for ch in "▁abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,-'":
        vocab.setdefault(ch, len(vocab))
    merges = []
    for a, b in [("▁", "a"), ("▁", "t"), ("▁", "c"), ("▁", "w"), ("e", "r"), ("i", "n"), ("o", "n"), ("a", "n"), ("t", "h"), ("▁t", "h"), ("e", "s"), ("o", "r")]:
        merges.append(f"{a} {b}")
        vocab.setdefault(a + b, len(vocab))
    tok = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True} for i, t in enumerate(specials)],
        "normalizer": {"type": "Replace", "pattern": {"String": " "}, "content": "▁"},
        "pre_tokenizer": None,
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "<bos>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "<bos>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {"<bos>": {"id": "<bos>", "ids": [2], "tokens": ["<bos>"]}},
        },
        "decoder": {"type": "Sequence", "decoders": [{"type": "Replace", "pattern": {"String": "▁"}, "content": " "}, {"type": "ByteFallback"}, {"type": "Fuse"}]},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": None, "end_of_word_suffix": None, "fuse_unk": True, "byte_fallback": True, "ignore_merges": False, "vocab": vocab, "merges": merges},
    }
    (out / "tokenizer.json").write_text(json.dumps(tok, ensure_ascii=False, indent=1) + "\n")
    (out / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "GemmaTokenizer", "add_bos_token": True, "add_eos_token": False,
        "bos_token": "<bos>", "eos_token": "<eos>", "pad_token": "<pad>", "unk_token": "<unk>",
        "model_max_length": max_len, "padding_side": "right",
    }, indent=1) + "\n")
    return len(vocab)


def main():
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "metrics"
    rng = np.random.default_rng(SEED)
    sig = root / "siglip2-tiny"
    sig.mkdir(parents=True, exist_ok=True)
    max_patches, max_len = 16, 16
    vocab = tokenizer_files(sig, max_len)
    siglip2_vision(sig, rng, max_patches)
    siglip2_text(sig, rng, vocab, max_len)
    # The processor config has the real one's keys (Siglip2ImageProcessor, NaFlex); only
    # max_num_patches is smaller (real: 256).
    (sig / "preprocessor_config.json").write_text(json.dumps({
        "image_processor_type": "Siglip2ImageProcessor", "do_resize": True, "resample": 2, "do_rescale": True,
        "rescale_factor": 1 / 255, "do_normalize": True, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5],
        "patch_size": PATCH, "max_num_patches": max_patches,
    }, indent=1) + "\n")
    (sig / "arena-export.json").write_text(json.dumps({"modelId": "arena/siglip2-tiny-random (fixture)", "exportedWith": "scripts/dev/make-metric-fixtures.py", "seed": SEED}, indent=1) + "\n")

    dino = root / "dinov3-tiny"
    dino.mkdir(parents=True, exist_ok=True)
    size = 64
    dinov3(dino, rng, size)
    (dino / "preprocessor_config.json").write_text(json.dumps({
        "image_processor_type": "DINOv3ViTImageProcessorFast", "do_resize": True, "size": {"height": size, "width": size}, "resample": 2,
        "do_center_crop": False, "do_rescale": True, "rescale_factor": 1 / 255, "do_normalize": True,
        "image_mean": [0.485, 0.456, 0.406], "image_std": [0.229, 0.224, 0.225],
    }, indent=1) + "\n")
    (dino / "arena-export.json").write_text(json.dumps({"modelId": "arena/dinov3-tiny-random (fixture)", "exportedWith": "scripts/dev/make-metric-fixtures.py", "seed": SEED}, indent=1) + "\n")
    total = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    print(f"wrote {root} ({total / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
