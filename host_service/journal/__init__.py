"""Where executions are made durable: a `Journal` protocol and its backends."""
