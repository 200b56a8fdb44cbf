"""Hashed features, shared by the entity and event taggers: strings to stable numbers, and a
feature template's name with its values to a bucket of the model's weight table.

Hashes are crc32, not Python's ``hash`` (salted per process), so the buckets, and with them
the shipped weights, are the same in every process. Each tagger's combination of a template's
parts is fixed by the feature version its weights were trained on: the entity tagger mixes
two values at a time (``mix``, splitmix64's finaliser), the event tagger chains a template's
parts onto its name (``chain``).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

import numpy as np

# splitmix64's constants (Steele, Lea and Flood 2014).
_GOLDEN_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_MIX_MULTIPLIER = np.uint64(0xBF58476D1CE4E5B9)
_FIRST_SHIFT, _SECOND_SHIFT = np.uint64(31), np.uint64(29)
# The 64-bit FNV prime.
_CHAIN_MULTIPLIER = np.uint64(0x100000001B3)


def stable_hash(text: str) -> int:
    """A string's hash, the same in every process."""
    return zlib.crc32(text.encode("utf-8"))


def hash_strings(values: Iterable[str]) -> np.ndarray:
    """Each string's stable hash (as uint64), computing each distinct string once."""
    cache: dict[str, int] = {}
    return np.array(
        [cache[v] if v in cache else cache.setdefault(v, stable_hash(v)) for v in values],
        dtype=np.uint64,
    )


def mix(first: np.ndarray | np.uint64, second: np.ndarray | np.uint64) -> np.ndarray:
    """Two hashes combined into one (a multiply-xorshift, as in splitmix64)."""
    with np.errstate(over="ignore"):
        value = np.asarray(first, dtype=np.uint64) * _GOLDEN_GAMMA
        value ^= np.asarray(second, dtype=np.uint64)
        value ^= value >> _FIRST_SHIFT
        value *= _MIX_MULTIPLIER
        value ^= value >> _SECOND_SHIFT
    return value


def mixed_buckets(name: str, values: np.ndarray, buckets: int) -> np.ndarray:
    """The bucket of each value of the template ``name`` (the entity tagger's features)."""
    return (mix(np.uint64(stable_hash(name)), values) % np.uint64(buckets)).astype(np.int64)


def chained_buckets(name: str, count: int, parts: Iterable[np.ndarray], buckets: int) -> np.ndarray:
    """The bucket of each of ``count`` rows of the template ``name`` whose values are the
    ``parts`` taken together (the event tagger's features)."""
    key = np.full(count, stable_hash(name), dtype=np.uint64)
    for part in parts:
        key = (key * _CHAIN_MULTIPLIER) ^ part
    return (key % np.uint64(buckets)).astype(np.int64)
