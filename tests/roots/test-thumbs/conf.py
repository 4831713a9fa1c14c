# Cards name images on a server the test starts: @BASE@ is replaced by its address.
extensions = ["myst_parser", "newsarchive"]
myst_enable_extensions = ["colon_fence"]
language = "ja"
exclude_patterns = ["_build", "thumbs"]
newsarchive_years_dir = "years"
newsarchive_tags_file = "tags.toml"
newsarchive_thumbs_manifest = "thumbs/manifest.json"
copyright = "2022, test"
version = "1"
