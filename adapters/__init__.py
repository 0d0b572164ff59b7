"""Thin edges: the command line and console, Slack and Discord; each turns a payload into a bot request."""
