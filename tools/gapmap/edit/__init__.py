"""edit stage."""
