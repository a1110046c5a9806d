"""Files: SVG frames on a shared layout, the HTML player, GIF/APNG, single pictures, atomic writes."""
