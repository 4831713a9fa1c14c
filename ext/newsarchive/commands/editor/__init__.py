"""The editor's and contributors' commands: ``new``, ``add`` and ``check``.

``pages`` reads and writes issue pages (MyST, parsed with markdown-it as MyST does),
``fetch`` gets a page over HTTP and reads its Open Graph metadata.
"""
