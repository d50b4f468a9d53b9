"""The dialogue manager: per-conversation state, the policy that picks the next tool, the tools, replies.

Correctness lives here, in code, because the default model picks the right next action only 15 % of the
time (DESIGN.md); the LLM is consulted only where these rules have nothing to go on.
"""
