"""Icons: `/api/icons`."""
