"""Renderers: one module per view, each a set of plain functions from computed data to text."""
