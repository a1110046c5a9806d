"""The seed gallery: its examples (data) and the demo site built from them."""
