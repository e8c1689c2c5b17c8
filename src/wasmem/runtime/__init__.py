"""Runtime structure (spec "Runtime Structure"): store, instances, tables, globals, functions, segments."""
