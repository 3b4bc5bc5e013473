"""The analysis engine: the single walk over each module, and (later) data flow on its IR."""
