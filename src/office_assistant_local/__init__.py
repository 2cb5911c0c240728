"""The local toolkit: run, drill and measure the assistant on a laptop. Never shipped to Lambda.

office_assistant (the shipped package) never imports this one; a test walks its import graph to keep it so.
"""
