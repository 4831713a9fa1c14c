# Cards point at a server the test starts: @BASE@ is its address, @PORT@ its port.
extensions = ["myst_parser", "newsarchive"]
myst_enable_extensions = ["colon_fence"]
language = "ja"
exclude_patterns = ["_build"]
newsarchive_years_dir = "years"
newsarchive_tags_file = "tags.toml"
copyright = "2023, test"
version = "1"
# "localhost" stands for a site that refuses automated checks (it is never requested).
newsarchive_linkcheck_by_hand = ["localhost"]
linkcheck_timeout = 5
linkcheck_retries = 1
linkcheck_workers = 2
