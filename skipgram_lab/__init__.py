"""skipgram-lab: the skip-gram model (word2vec) with every gradient step in view.

Modules, in the order data flows through them (each imports only modules above it):

- text and tokens: :mod:`~skipgram_lab.corpus` (tokenize, ``Vocab``, the toy corpus),
  :mod:`~skipgram_lab.synthetic` (a planted-structure corpus and its ground truth),
  :mod:`~skipgram_lab.bpe` (BPE pieces with the ``tokenizers`` library),
  :mod:`~skipgram_lab.datasets` (text8, downloaded once and checked)
- pairs and noise: :mod:`~skipgram_lab.pairs` (windows, subsampling, pairs),
  :mod:`~skipgram_lab.noise` (the counts**0.75 noise distribution)
- the math, one function per equation: :mod:`~skipgram_lab.softmax`,
  :mod:`~skipgram_lab.negative_sampling`, :mod:`~skipgram_lab.hierarchical_softmax`,
  :mod:`~skipgram_lab.gradcheck`
- training: :mod:`~skipgram_lab.embeddings` (the result and its file formats),
  :mod:`~skipgram_lab.teaching` (per-pair loops), :mod:`~skipgram_lab.idfile`,
  :mod:`~skipgram_lab.scatter` and :mod:`~skipgram_lab.vectorized` (the streaming trainer),
  :mod:`~skipgram_lab.cli` (``python -m skipgram_lab train``)
- measuring: :mod:`~skipgram_lab.evaluate`, :mod:`~skipgram_lab.pmi`, :mod:`~skipgram_lab.factorise`,
  :mod:`~skipgram_lab.align`, :mod:`~skipgram_lab.causal`, :mod:`~skipgram_lab.subword_stats`,
  :mod:`~skipgram_lab.claims`
- exercises: :mod:`~skipgram_lab.checks` and the ``checks_*`` modules
- pictures (leaves: nothing in the package imports them): :mod:`~skipgram_lab.plots`,
  :mod:`~skipgram_lab.animate`, :mod:`~skipgram_lab.widgets`, :mod:`~skipgram_lab.claims_figures`,
  :mod:`~skipgram_lab.production_demo`
"""

__version__ = "0.1.0"
