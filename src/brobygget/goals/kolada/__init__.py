"""Kolada, the national database of municipal key figures: the API v3 client (`client`) and connecting and syncing
KPIs as indicators (`sync`). docs/goals.md says how to point it at the real API or a mirror."""
