"""spreadkit: help good health-care improvements spread."""

__version__ = "0.1.0"

# Where the user documentation lives; rule help links in SARIF point here.
DOCS_URL = "https://github.com/spreadkit/spreadkit/blob/main/docs"
