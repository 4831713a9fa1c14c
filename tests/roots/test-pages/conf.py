extensions = ["myst_parser", "newsarchive"]
myst_enable_extensions = ["colon_fence"]
language = "ja"
exclude_patterns = ["_build"]
newsarchive_years_dir = "years"
newsarchive_tags_file = "tags.toml"
# Two links a part, so a handful of cards makes lists of several parts.
newsarchive_entries_per_page = 2
copyright = "2020, test"
version = "1"
