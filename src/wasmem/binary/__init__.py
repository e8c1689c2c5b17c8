"""Binary format (spec "Binary Format"): LEB128 reader, decoder (one function per section), encoder."""
