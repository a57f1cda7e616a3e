"""``python -m skipgram_lab train CORPUS.txt --out vectors.txt``: see :mod:`skipgram_lab.cli`."""

from .cli import main

raise SystemExit(main())
