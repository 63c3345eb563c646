"""Open Gap Map: a map of the capabilities science is missing, as records in git.

The package is a pipeline — load → check → graph → cost → site — with interop beside it
and a thin command-line interface (`gapmap`) on top. Each stage takes the previous stage's
output as a plain value.
"""

__version__ = "0.1.0"
SCHEMA_VERSION = "1.1"
