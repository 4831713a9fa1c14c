extensions = ["myst_parser", "newsarchive"]
myst_enable_extensions = ["colon_fence"]
language = "ja"
exclude_patterns = ["_build"]
newsarchive_tags_file = "tags.toml"
copyright = "2020, test"
version = "1"
