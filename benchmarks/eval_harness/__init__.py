"""The conversation evaluation harness behind ``make eval``.

One fresh ``studiobook serve`` per case (``server``), an SMTP sink that captures every mail the studio
sends (``sink``), the two client channels (``chat``, ``email``), the expectations of the fixture format
(``checks``), case loading (``cases``) and the runner that ties them together (``runner``).
"""
