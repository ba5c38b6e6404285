"""Use cases named after what people do: load rows, ask facilitation/, store the outcome."""
