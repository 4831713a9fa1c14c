"""The content model, pure: front matter, cards and their options, the tag vocabulary,
URLs, plain text, and the reader of source pages. Imports neither Sphinx's application
nor the commands; both the extension and the commands use it."""
