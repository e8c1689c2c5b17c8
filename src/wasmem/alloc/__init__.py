"""Allocators written in WebAssembly text, with Python heap walkers."""
