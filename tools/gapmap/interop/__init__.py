"""interop stage."""
