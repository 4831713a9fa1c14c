"""Import Revue-era issues (Revue's HTML exports) as MyST issue pages.

``parse`` reads an export into the ``model``; ``emit`` writes the model as a page;
``command`` is ``newsarchive import-revue``.
"""
