#!/usr/bin/env python3
"""DEV ONLY: exports the real SigLIP-2 and DINOv3 checkpoints to the folder layout the arena reads
(docs/metrics.md): ONNX files with the same inputs and outputs as the fixtures of
scripts/dev/make-metric-fixtures.py, the Hugging Face processor config, the tokenizer, and
arena-export.json naming the checkpoint.

    pip install torch transformers onnx      # several GB; a GPU is not needed for the export
    python3 scripts/dev/export-metric-models.py siglip2 /models/siglip2-onnx  [--model google/siglip2-so400m-patch16-naflex]
    python3 scripts/dev/export-metric-models.py dinov3  /models/dinov3-onnx   [--model facebook/dinov3-vitl16-pretrain-lvd1689m]

The DINOv3 repository is gated: accept its licence on the Hub and log in (huggingface-cli login) first.
SigLIP-2 NaFlex resizes its position embeddings to each image's patch grid from `spatial_shapes`;
tracing records the grid of the example input, so the export is traced on a square view (the
arena's renders are square: a 16 x 16 grid at max_num_patches 256) and arena-export.json records it.
"""
import argparse
import json
from pathlib import Path

import torch
from transformers import AutoImageProcessor, AutoModel, AutoProcessor


class Pooled(torch.nn.Module):
    """Wraps a tower so the ONNX graph has one output, `pooler_output` [batch, dim]."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, *args):
        out = self.fn(*args)
        return out if isinstance(out, torch.Tensor) else out.pooler_output


def export(module, args, names, path):
    torch.onnx.export(
        module, args, str(path), input_names=names, output_names=["pooler_output"],
        dynamic_axes={**{n: {0: "batch"} for n in names}, "pooler_output": {0: "batch"}}, opset_version=17, dynamo=False,
    )


def siglip2(model_id, out):
    processor = AutoProcessor.from_pretrained(model_id)
    model = AutoModel.from_pretrained(model_id).eval()
    from PIL import Image
    example = processor(images=[Image.new("RGB", (512, 512), (90, 90, 90))], return_tensors="pt")
    grid = example["spatial_shapes"][0].tolist()
    vision = Pooled(lambda pv, mask, shapes: model.get_image_features(pixel_values=pv, pixel_attention_mask=mask, spatial_shapes=shapes))
    with torch.no_grad():
        export(vision, (example["pixel_values"], example["pixel_attention_mask"], example["spatial_shapes"]),
               ["pixel_values", "pixel_attention_mask", "spatial_shapes"], out / "vision_model.onnx")
        text = processor(text=["a chair"], padding="max_length", truncation=True, return_tensors="pt")
        names = ["input_ids"] + (["attention_mask"] if "attention_mask" in text else [])
        tower = Pooled(lambda *a: model.get_text_features(**dict(zip(names, a))))
        export(tower, tuple(text[n] for n in names), names, out / "text_model.onnx")
    processor.image_processor.save_pretrained(out)
    processor.tokenizer.save_pretrained(out)
    return {"tracedGrid": grid}


def dinov3(model_id, out):
    processor = AutoImageProcessor.from_pretrained(model_id)
    model = AutoModel.from_pretrained(model_id).eval()
    size = processor.size.get("height", 224), processor.size.get("width", 224)
    with torch.no_grad():
        export(Pooled(lambda pv: model(pixel_values=pv)), (torch.zeros(1, 3, *size),), ["pixel_values"], out / "model.onnx")
    processor.save_pretrained(out)
    return {}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["siglip2", "dinov3"])
    ap.add_argument("out", type=Path)
    ap.add_argument("--model", default=None)
    a = ap.parse_args()
    model_id = a.model or {"siglip2": "google/siglip2-so400m-patch16-naflex", "dinov3": "facebook/dinov3-vitl16-pretrain-lvd1689m"}[a.kind]
    a.out.mkdir(parents=True, exist_ok=True)
    extra = siglip2(model_id, a.out) if a.kind == "siglip2" else dinov3(model_id, a.out)
    import transformers
    (a.out / "arena-export.json").write_text(json.dumps({"modelId": model_id, "exportedWith": "scripts/dev/export-metric-models.py",
                                                         "torch": torch.__version__, "transformers": transformers.__version__, **extra}, indent=1) + "\n")
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
