"""The live sale server: comments in, orders out against stock, live overlay events."""
