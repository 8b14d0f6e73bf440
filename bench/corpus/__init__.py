"""The document corpus for tests and benchmarks: certificates and letters in many layouts, with ground truth."""

from .generator import (
    CERTIFICATE,
    DEFAULT_SEED,
    DEFAULT_VARIANTS,
    FAMILIES,
    LETTER,
    MANUAL,
    READ,
    Family,
    Sample,
    generate,
    held_out_variants,
    missing_tools,
)

__all__ = [
    "CERTIFICATE",
    "DEFAULT_SEED",
    "DEFAULT_VARIANTS",
    "FAMILIES",
    "LETTER",
    "MANUAL",
    "READ",
    "Family",
    "Sample",
    "generate",
    "held_out_variants",
    "missing_tools",
]
