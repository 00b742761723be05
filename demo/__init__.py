"""Synthetic data: the demo people and case work (seed_demo) and clinic-network scale (seed_scale). Above every other app; nothing imports it."""
