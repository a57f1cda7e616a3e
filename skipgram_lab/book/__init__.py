"""The book's apparatus: the code behind particular chapters' experiments and pictures.

Nothing in the library (:mod:`skipgram_lab`) imports these modules; they import the library.

- :mod:`~skipgram_lab.book.claims`: the experiments behind Part II's claims (chapters 6-8)
- :mod:`~skipgram_lab.book.causal`: next-token counts, skip-gram vs a bigram model (chapter 12)
- :mod:`~skipgram_lab.book.subword_stats`: what BPE pieces change (chapter 11)
- :mod:`~skipgram_lab.book.production_demo`: subsampling recipes, noise, lr schedules (chapter 10)
- :mod:`~skipgram_lab.book.plots`: static figures; :mod:`~skipgram_lab.book.animate`: animations;
  :mod:`~skipgram_lab.book.widgets`: ipywidgets front-ends; :mod:`~skipgram_lab.book.claims_figures`:
  Part II's snapshot pictures
"""
