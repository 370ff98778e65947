"""One MIME message per shared render, copied for each reader.

Building Django's MIME message (headers encoded, both parts wrapped) and
serialising it for SMTP cost about 0.5 ms an e-mail, more than everything
else a worker does for it. The e-mails of one announcement differ only in
the address, the date, the Message-ID and the unsubscribe link, so the
message is built and serialised once per batch, language and content, and
each reader's copy swaps those in.

A `PersonalEmail` is an ordinary `EmailMultiAlternatives` with every
attribute (body, alternatives, headers) filled in for its reader: mail
backends and tests read it like any other. Only its `message()` is quicker,
and only when its attributes are exactly what the shared message was built
from; otherwise, or when a link would push a line past the SMTP limit, it
falls back to Django's own `message()`.
"""

import copy
from email.message import Message
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import (
    DNS_NAME,
    RFC5322_EMAIL_LINE_LENGTH_LIMIT,
    SafeMIMEMultipart,
    forbid_multi_line_headers,
)
from django.utils.html import escape

# Stand-ins for a reader's unsubscribe link in the shared message: one for
# the text part, one (escaped differently) for the HTML part.
TEXT_LINK = "yingzi-unsubscribe-link-placeholder-5f0c2a"
HTML_LINK = "yingzi-unsubscribe-html-placeholder-9d41e7"
# Headers Django's message() sets from the message's lists, never from extra_headers.
_LIST_HEADERS = {"from", "to", "cc", "reply-to"}
_RAW_BODIES = {"7bit", "8bit"}


def _html_link(url: str) -> str:
    return escape(url)


class SharedMessage:
    """The MIME message of one render with a placeholder link, as Django builds it, serialised once."""

    def __init__(self, *, subject: str, text: str, html: str, from_email: str | None = None):
        """`text` and `html` carry TEXT_LINK where each reader's unsubscribe link goes (HTML escaping is done here)."""
        self.subject, self.text, self.html = subject, text, html.replace(TEXT_LINK, HTML_LINK)
        prototype = EmailMultiAlternatives(subject=subject, body=text, from_email=from_email)
        prototype.attach_alternative(self.html, "text/html")
        self.from_email = prototype.from_email
        self.encoding = prototype.encoding or settings.DEFAULT_CHARSET
        message = prototype.message()
        # What differs per reader is added by `personal_message`, after the shared headers, as Django orders them.
        del message["Date"]
        del message["Message-ID"]
        self.parts = message.get_payload()
        self.usable = isinstance(self.parts, list) and len(self.parts) == 2
        self.usable = self.usable and all(part.get("Content-Transfer-Encoding") in _RAW_BODIES for part in self.parts)
        self.message = message
        # Serialised once per line ending; fixes the boundary, which no link can contain (it is all "=" and digits).
        self._serialised: dict[str, tuple[bytes, bytes]] = {}
        self.boundary = None
        if self.usable:
            self.serialised("\n")
            self.boundary = message.get_boundary()
        # Each line holding a placeholder, with the room it has left under the SMTP line limit.
        self._lines = {
            placeholder: [
                (RFC5322_EMAIL_LINE_LENGTH_LIMIT - len(line.encode()), line.count(placeholder))
                for body in (self.text, self.html)
                for line in body.splitlines()
                if placeholder in line
            ]
            for placeholder in (TEXT_LINK, HTML_LINK)
        }

    def serialised(self, linesep: str) -> tuple[bytes, bytes]:
        if linesep not in self._serialised:
            data = self.message.as_bytes(linesep=linesep)
            head, _blank, body = data.partition((linesep * 2).encode())
            self._serialised[linesep] = (head + linesep.encode(), body)
        return self._serialised[linesep]

    def _fits(self, placeholder: str, link: str) -> bool:
        growth = len(link.encode()) - len(placeholder)
        return all(growth * count <= room for room, count in self._lines[placeholder])

    def bodies(self, unsubscribe_url: str) -> tuple[str, str]:
        """A reader's text and HTML."""
        return self.text.replace(TEXT_LINK, unsubscribe_url), self.html.replace(HTML_LINK, _html_link(unsubscribe_url))

    def personal_message(self, email: "PersonalEmail") -> Message | None:
        """A copy of the shared MIME message for this e-mail; None when Django's own must be built instead."""
        url = email.unsubscribe_url
        text, html = self.bodies(url)
        names = {name.lower() for name in email.extra_headers}
        if (
            not self.usable
            or names & _LIST_HEADERS
            or email.subject != self.subject
            or email.from_email != self.from_email
            or (email.encoding or settings.DEFAULT_CHARSET) != self.encoding
            or email.cc
            or email.reply_to
            or email.attachments
            or email.body != text
            or list(email.alternatives) != [(html, "text/html")]
            or not self._fits(TEXT_LINK, url)
            or not self._fits(HTML_LINK, _html_link(url))
            or self.boundary in url
            # The shared payloads hold encoded bytes; only an ASCII link goes straight in.
            or not url.isascii()
        ):
            return None
        # As Django's message() adds them, in its order.
        headers = []
        if email.to:
            headers.append(
                forbid_multi_line_headers("To", ", ".join(str(address) for address in email.to), self.encoding)
            )
        if "date" not in names:
            headers.append(("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)))
        if "message-id" not in names:
            headers.append(("Message-ID", make_msgid(domain=DNS_NAME)))
        headers += [
            forbid_multi_line_headers(name, value, self.encoding) for name, value in email.extra_headers.items()
        ]
        return PersonalMessage.copy_of(self, headers, url)


class PersonalMessage(SafeMIMEMultipart):
    """A reader's copy of a shared MIME message: a real message, whose bytes are made by substitution.

    Its parts are copies of the shared ones with the reader's link in their
    payload; its headers are the shared ones and the reader's. `as_bytes`
    splices the reader's headers and link into the shared bytes instead of
    running the generator again, as long as nobody has changed the message
    since (a backend adding a header, say); after a change it serialises
    the message the usual way.
    """

    @classmethod
    def copy_of(cls, shared: SharedMessage, headers: list[tuple[str, str]], url: str) -> "PersonalMessage":
        message = cls.__new__(cls)
        # The email package keeps headers and payload in these attributes; copying them is what
        # copy.copy() does, without sharing the header list with every other reader's copy.
        message.__dict__.update(shared.message.__dict__)
        message._headers = list(shared.message._headers) + [
            message.policy.header_store_parse(name, value) for name, value in headers
        ]
        message._payload = [_with_link(part, url) for part in shared.parts]
        message._shared, message._url, message._personal = shared, url, headers
        message._snapshot = message._state()
        return message

    def _state(self) -> tuple:
        return (
            list(self._headers),
            [(id(part), list(part._headers), part._payload) for part in self._payload],
        )

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        if unixfrom or self._state() != self._snapshot:
            return super().as_bytes(unixfrom=unixfrom, linesep=linesep)
        head, body = self._shared.serialised(linesep)
        policy = self.policy.clone(linesep=linesep)
        personal = b"".join(policy.fold_binary(name, value) for name, value in self._personal)
        body = body.replace(TEXT_LINK.encode(), self._url.encode()).replace(
            HTML_LINK.encode(), _html_link(self._url).encode()
        )
        return head + personal + linesep.encode() + body


def _with_link(part: Message, url: str) -> Message:
    clone = copy.copy(part)
    clone._headers = list(part._headers)
    # The payload is already in its transfer encoding (7 or 8 bit: the text as is), so the link goes straight in.
    clone._payload = part._payload.replace(TEXT_LINK, url).replace(HTML_LINK, _html_link(url))
    return clone


class PersonalEmail(EmailMultiAlternatives):
    """One reader's copy of a shared message: an ordinary e-mail whose MIME form is built from the shared one."""

    def __init__(self, *, shared: SharedMessage, unsubscribe_url: str, to: list[str], headers: dict[str, str]):
        text, html = shared.bodies(unsubscribe_url)
        super().__init__(subject=shared.subject, body=text, from_email=shared.from_email, to=to, headers=headers)
        self.attach_alternative(html, "text/html")
        self.shared, self.unsubscribe_url = shared, unsubscribe_url

    def message(self):
        return self.shared.personal_message(self) or super().message()

    def __deepcopy__(self, memo):
        # The locmem backend keeps a deep copy of each e-mail; the shared message is read-only and stays shared.
        clone = copy.copy(self)
        for key, value in self.__dict__.items():
            if key != "shared":
                setattr(clone, key, copy.deepcopy(value, memo))
        return clone
