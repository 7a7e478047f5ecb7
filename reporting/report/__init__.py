"""The headline table for a period, its trends over the half-years, publishing and restatements."""
