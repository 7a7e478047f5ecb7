"""M&E's entry of training sessions, prevention sessions and partner and legacy returns."""
