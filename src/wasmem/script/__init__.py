"""Spec scripts (.wast): commands and a runner written against a small Engine protocol."""
