"""Runtime primitives every layer may use: cancel tokens, log capture, loop calls, {var} text."""
