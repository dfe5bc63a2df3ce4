"""The words: how numbers are written, and the sentences, tables and formulas a student reads."""
