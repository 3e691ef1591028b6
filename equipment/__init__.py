"""Schools and their digital equipment."""
