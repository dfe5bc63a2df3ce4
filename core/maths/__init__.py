"""The model and its maths: the experiment, the four steps of training, closed-form facts, the surface.

Everything here is numbers in, numbers out: no prose, no markup, no Plotly.
"""
