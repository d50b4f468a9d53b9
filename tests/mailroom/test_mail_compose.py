"""What the studio's answers look like: proper "Re:" subjects, escaped HTML, no links the model made up."""
from __future__ import annotations

import pytest

from mail_helpers import Sink, asend, client_mail, html, plain, wait_until
from mailroom.threads import base_subject, reply_subject


@pytest.mark.parametrize("subject, expected", [
    ("Portrait session?", "Re: Portrait session?"),
    ("Re: Portrait session?", "Re: Portrait session?"),
    ("RE: AW: Re[2]: Portrait session?", "Re: Portrait session?"),
    ("Fwd: Portrait session?", "Re: Fwd: Portrait session?"),
    ("", "Re: your message"),
])
def test_an_answer_is_re_its_subject_never_re_re(subject: str, expected: str) -> None:
    assert reply_subject(subject) == expected


def test_the_thread_subject_drops_reply_and_forward_prefixes() -> None:
    assert base_subject("Re: Fwd:  AW: Wedding   in June") == "Wedding in June"


async def test_links_and_markup_in_the_answer_text_stay_text(mailroom, fake_agent, sink: Sink) -> None:
    fake_agent.text = "See <b>this</b>: http://evil.example/steal?x=1 & more"
    await asend(mailroom.smtp_in_port, client_mail("Hi"))
    await wait_until(lambda: sink.received, what="the answer")
    answer = sink.messages()[0]
    assert plain(answer).startswith("See <b>this</b>: http://evil.example/steal?x=1 & more\n")
    body = html(answer)
    assert "See &lt;b&gt;this&lt;/b&gt;: http://evil.example/steal?x=1 &amp; more" in body
    assert "href" not in body and "<img" not in body


async def test_agent_html_with_a_link_its_text_does_not_have_is_not_sent(mailroom, fake_agent, sink: Sink) -> None:
    fake_agent.html = '<p>Thanks! <img src="http://tracker.example/p.gif"></p>'
    await asend(mailroom.smtp_in_port, client_mail("Hi"))
    await wait_until(lambda: sink.received, what="the answer")
    body = html(sink.messages()[0])
    assert "tracker.example" not in body
    assert fake_agent.text in body
