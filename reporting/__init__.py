"""Reports for council staff: the regression report on held-out and staff questions."""
