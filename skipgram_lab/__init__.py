"""skipgram-lab: the skip-gram model (word2vec) with every gradient step in view.

Rooms, in the order data flows through them (each imports only rooms above it):

- :mod:`skipgram_lab.corpus`: text -> tokens -> ids (``Vocab``, the toy corpus)
- :mod:`skipgram_lab.pairs`: windows, subsampling, (center, context) pairs
- :mod:`skipgram_lab.noise`: the noise distribution and its sampler
- :mod:`skipgram_lab.softmax`, :mod:`skipgram_lab.negative_sampling`: losses,
  gradients and one SGD step (pure math)
- :mod:`skipgram_lab.gradcheck`: central-difference gradient checks
- :mod:`skipgram_lab.embeddings`: the trained vectors, neighbours, file formats
- :mod:`skipgram_lab.teaching`: per-pair training loops that mirror the equations
"""

__version__ = "0.1.0"
