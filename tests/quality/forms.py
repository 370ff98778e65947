"""Find the forms a page offers and fill them in as the browser would.

The attack tests do not list forms by hand: they walk every page of the
declarations (`url_access.py`) for every role, collect each POST form the
page renders, and submit it with the values it was rendered with (what a
browser sends when the person changes nothing), plus what the test adds.
So a new form is covered the moment its page is declared.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from bs4.exceptions import ParserRejectedMarkup

# Forms that only switch the language or sign out: nothing to attack, and
# signing out would end the test's session.
SKIP_ACTIONS = ("/i18n/setlang/", "/accounts/logout/")
TEXT_TYPES = {"text", "search", "email", "url", "tel", ""}


@dataclass
class Form:
    page: str  # the page that rendered it
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> values sent as rendered
    text_fields: list[str] = field(default_factory=list)  # free-text inputs and textareas
    choices: dict[str, list[str]] = field(default_factory=dict)  # select/radio/checkbox name -> options

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        return self.action, tuple(sorted(self.fields))

    def data(self, **overrides) -> dict[str, list[str]]:
        values = {name: list(values) for name, values in self.fields.items()}
        for name, value in overrides.items():
            values[name] = value if isinstance(value, list) else [value]
        return values


def page_text(response) -> str:
    """The body of any answer as text: files (certificates, submissions) stream, pages do not."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode(errors="replace")


def forms_on(page_path: str, html: str) -> list[Form]:
    """Every POST form on a page, with the values a browser would submit unchanged."""
    try:
        soup = BeautifulSoup(html, "html.parser")
    except ParserRejectedMarkup:
        # A file (a certificate PDF) whose random bytes happen to look like broken markup has no forms.
        return []
    found = []
    for element in soup.find_all("form"):
        if (element.get("method") or "get").lower() != "post":
            continue
        action = urlsplit(element.get("action") or page_path).path or page_path
        if action.startswith(SKIP_ACTIONS) or not action.startswith("/"):
            continue
        form = Form(page=page_path, action=action)
        for control in element.find_all(["input", "select", "textarea"]):
            name = control.get("name")
            if not name or name == "csrfmiddlewaretoken" or control.has_attr("disabled"):
                continue
            kind = (control.get("type") or "").lower() if control.name == "input" else control.name
            values = form.fields.setdefault(name, [])
            if kind in {"checkbox", "radio"}:
                form.choices.setdefault(name, []).append(control.get("value", "on"))
                if control.has_attr("checked"):
                    values.append(control.get("value", "on"))
            elif kind == "select":
                options = [option.get("value", option.text) for option in control.find_all("option")]
                form.choices[name] = options
                chosen = [o.get("value", o.text) for o in control.find_all("option") if o.has_attr("selected")]
                values.extend(chosen or options[:1])
            elif kind in {"submit", "button", "image", "file"}:
                continue
            else:
                values.append(control.text if kind == "textarea" else control.get("value", ""))
                if kind == "textarea" or kind in TEXT_TYPES:
                    form.text_fields.append(name)
        found.append(form)
    return found
