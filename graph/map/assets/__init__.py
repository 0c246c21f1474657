"""Static files of the map (CSS, JavaScript, the page template): data, not code."""
