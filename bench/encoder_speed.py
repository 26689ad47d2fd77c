"""Benchmark the sentence encoder: load time, one message, training batches.

Prints figures (no pass/fail: the machines are noisy). Compare side by side in one run:
the encoder as configured (one BLAS thread) against all BLAS threads.
Usage: python -m bench.encoder_speed [--repeat 300]
"""

import argparse
import statistics
import time

from components.minilm import MiniLMEncoder

MESSAGES = [
    "police?",
    "who do u share my stuff with",
    "how long do you keep my sons file and when is it deleted",
    "Is my personal data transferred to countries outside the United Kingdom, "
    "and if so, what safeguards apply to that transfer?",
]


def per_message_ms(encoder: MiniLMEncoder, repeat: int) -> list:
    times = []
    for number in range(repeat):
        text = MESSAGES[number % len(MESSAGES)]
        started = time.perf_counter()
        encoder.encode([text])
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()

    started = time.perf_counter()
    one_thread = MiniLMEncoder(blas_threads=1)
    load_s = time.perf_counter() - started
    all_threads = MiniLMEncoder(blas_threads=None)
    print(f"load (weights, tokenizer): {load_s:.2f} s")

    print(f"{'encoder':<22} {'median ms':>10} {'p95 ms':>8} {'train ms/msg':>13}")
    batch = [f"{MESSAGES[i % len(MESSAGES)]} {i}" for i in range(512)]
    for label, encoder in (("one BLAS thread", one_thread), ("all BLAS threads", all_threads)):
        encoder.encode(MESSAGES)  # warm up
        times = sorted(per_message_ms(encoder, args.repeat))
        started = time.perf_counter()
        encoder.encode(batch, batch_size=64)
        train_ms = (time.perf_counter() - started) * 1000 / len(batch)
        p95 = times[int(0.95 * len(times)) - 1]
        print(f"{label:<22} {statistics.median(times):>10.1f} {p95:>8.1f} {train_ms:>13.1f}")


if __name__ == "__main__":
    main()
