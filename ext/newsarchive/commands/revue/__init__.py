"""Import Revue-era issues (Revue's HTML exports) as MyST issue pages.

``parse`` reads an export into the pipeline's model (``commands/pipeline/``), whose emitter
writes it as a page; ``command`` is ``newsarchive import-revue``.
"""
