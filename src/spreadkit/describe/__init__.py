"""The innovator's side: author, check, complete and render an intervention description."""
