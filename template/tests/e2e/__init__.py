"""End-to-end tests: the real app in a real Chromium (`make e2e`)."""
