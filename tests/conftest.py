"""Test-suite wide settings."""

import os

# A translation bug in the compiling tier must fail tests, not fall back silently.
os.environ.setdefault("WASMEM_STRICT_COMPILE", "1")
