"""Steps: one action, one batch of actions, one verification; the single home of their rules."""
