"""Graded exercises: each folder is one, with its README, its starter code and its tests."""
