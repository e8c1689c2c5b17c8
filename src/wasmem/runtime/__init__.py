"""Runtime structure (spec "Runtime Structure").

Store-level objects: instances, tables, globals, functions, tags; no evaluation here.
"""
