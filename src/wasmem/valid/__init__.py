"""Validation (spec "Validation"): operand/control stacks for code, module-level rules."""
