"""Execution (spec "Execution"): numerics, instantiation, the execution tier, invocation."""
