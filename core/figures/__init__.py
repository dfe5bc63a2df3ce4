"""The figures: Plotly builders and the colours shared by every chart, pure functions of core data."""
