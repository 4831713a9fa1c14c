"""The ``newsarchive`` command line (``cli.main``) and its sub-commands: the importers,
the editor's ``new``/``add``/``check``, ``tag``, ``thumbs`` and ``linkreport``. Built on
:mod:`newsarchive.core` and, where a command reads what a build wrote,
:mod:`newsarchive.sphinxext`."""
