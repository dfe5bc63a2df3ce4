"""The words: how numbers are written (``notation``), and the sentences, tables and formulas a student reads.

Every number here is written by :mod:`core.words.notation`; the numbers themselves come from
:mod:`core.maths`.
"""
