"""`office-assistant rehearse`: the synthesized stack's functions, built for x86_64, run as Lambda runs them."""
