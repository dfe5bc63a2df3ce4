"""The model and its maths: the experiment, the four steps of training, closed-form facts, the surface.

Numbers in, numbers out: no markup, no Plotly, and no sentences beyond those that must travel
with a number — a notice about a bad share-link value, why a run stopped. The words a student
reads about these numbers are :mod:`core.words`; the pictures, :mod:`core.figures`.
"""
