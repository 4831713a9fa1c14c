"""The one import pipeline that every reader of the newsletter feeds (Revue, Substack).

``model`` is what an issue holds; ``html`` reads HTML prose into it (what the readers
share); ``emit`` writes an issue as a MyST page; ``placement`` decides whether an imported
page may be written (the manifest of what an import wrote, the rule that nothing is
removed without ``--force``) and counts what happened; ``options`` are the command-line
options every import shares; ``tagger`` suggests each card's tags.
"""
