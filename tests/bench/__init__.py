"""Build-speed benchmarks (``make bench``); not collected by pytest."""
