"""Sending the leadership digest: by e-mail through a local SMTP relay, or to a webhook. Off by default.

Configured in :class:`eevp.settings.Settings` from the environment: ``EEVP_DIGEST_SMTP`` (``host:port``
of the relay, e.g. ``localhost:25``), ``EEVP_DIGEST_TO`` (addresses, comma-separated),
``EEVP_DIGEST_FROM`` (default ``eevp@localhost``) and ``EEVP_DIGEST_WEBHOOK`` (a URL that receives the
page as ``text/html`` in a POST). Nothing is sent unless one of them is set and the caller asks
(``python -m eevp digest --send``, e.g. from cron).
"""

from __future__ import annotations

import smtplib
import urllib.request
from email.message import EmailMessage

from eevp.errors import InputError

__all__ = ["send_digest"]


def _smtp_address(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":") if ":" in value else (value, "", "25")
    try:
        return host or "localhost", int(port)
    except ValueError:
        raise InputError(f"EEVP_DIGEST_SMTP must be host:port, such as localhost:25; got {value!r}.") from None


def _email(page: str, subject: str, sender: str, to: tuple[str, ...]) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = subject, sender, ", ".join(to)
    msg.set_content("The leadership digest is in the HTML part of this message.")
    msg.add_alternative(page, subtype="html")
    return msg


def send_digest(page: str, settings, subject: str = "Leadership digest", *, smtp=smtplib.SMTP,
                post=urllib.request.urlopen) -> list[str]:
    """Send ``page`` wherever the settings say; returns where it went ("smtp:host:port", "webhook").

    Args:
        page: the digest's HTML.
        settings: :class:`eevp.settings.Settings` (``digest_smtp``, ``digest_to``, ``digest_from``,
            ``digest_webhook``).
        smtp, post: the SMTP client class and the URL opener (tests pass fakes).

    Raises:
        InputError: delivery is off (nothing configured), or an e-mail relay without recipients.
    """
    sent = []
    if settings.digest_smtp:
        if not settings.digest_to:
            raise InputError("EEVP_DIGEST_SMTP is set but EEVP_DIGEST_TO is empty: set the recipients, "
                             "comma-separated.")
        host, port = _smtp_address(settings.digest_smtp)
        with smtp(host, port, timeout=30) as client:
            client.send_message(_email(page, subject, settings.digest_from, settings.digest_to))
        sent.append(f"smtp:{host}:{port}")
    if settings.digest_webhook:
        request = urllib.request.Request(settings.digest_webhook, data=page.encode("utf-8"), method="POST",
                                         headers={"Content-Type": "text/html; charset=utf-8"})
        with post(request, timeout=30):
            pass
        sent.append("webhook")
    if not sent:
        raise InputError("Digest delivery is off: set EEVP_DIGEST_SMTP and EEVP_DIGEST_TO (a local mail relay) "
                         "or EEVP_DIGEST_WEBHOOK, then run 'python -m eevp digest --send'.")
    return sent
