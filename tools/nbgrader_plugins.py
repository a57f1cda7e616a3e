"""nbgrader preprocessors for the skipgram-lab course (used by course/nbgrader_config.py).

``RemoveWrittenSolutions`` runs in ``nbgrader generate_assignment`` just before
nbgrader's ``ClearSolutions``: it removes the written solutions that the book
shows in dropdowns (see ``course.remove_written_solutions``), so the released
notebook matches ``make student``.
"""

from nbgrader.preprocessors import NbGraderPreprocessor

import course


class RemoveWrittenSolutions(NbGraderPreprocessor):
    """Drop MyST solution blocks and the non-solution code cells inside them."""

    def preprocess(self, nb, resources):
        return course.remove_written_solutions(nb, resources.get("unique_key", "notebook")), resources
