"""skipgram-lab: the skip-gram model (word2vec) with every gradient step in view.

The package has three layers, and imports point only down this list:

1. **The library** (this folder): what a learner reads and a user runs. Modules, in the order data
   flows through them (each imports only modules above it):

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
     :mod:`~skipgram_lab.training` (what every trainer shares),
     :mod:`~skipgram_lab.teaching` (per-pair loops), :mod:`~skipgram_lab.idfile`,
     :mod:`~skipgram_lab.fastvocab` (text file -> vocabulary and id file in one pass),
     :mod:`~skipgram_lab.scatter` and :mod:`~skipgram_lab.vectorized` (the streaming trainer),
     :mod:`~skipgram_lab.cli` (``python -m skipgram_lab train``)
   - measuring: :mod:`~skipgram_lab.evaluate` (with :mod:`~skipgram_lab.testsets` and
     :mod:`~skipgram_lab.planted`), :mod:`~skipgram_lab.pmi`, :mod:`~skipgram_lab.factorise`,
     :mod:`~skipgram_lab.align`, :mod:`~skipgram_lab.offsets` (analogy methods and their baselines),
     :mod:`~skipgram_lab.stability` (neighbours across runs, paired bootstraps),
     :mod:`~skipgram_lab.postprocess` (mean removal, all but the top)
   - subwords: :mod:`~skipgram_lab.subword_ngrams` (a word as the mean of its character n-grams)

2. **The book's apparatus**, :mod:`skipgram_lab.book`: what exists only to run, draw or animate a
   chapter's experiment (the claims of Part II, figures, animations, widgets). It imports the library;
   the library never imports it.

3. **The exercise checks**, :mod:`skipgram_lab.checks`: one module per topic, every check importable
   from ``skipgram_lab.checks``. They may import the library and the apparatus; nothing imports them.

``tests/test_layers.py`` reads every module's imports and fails on an arrow that points the wrong way.
"""

__version__ = "0.1.0"
