"""Text format (spec "Text Format"): lexer, parser (names resolved to indices), printer, .wast scripts."""
