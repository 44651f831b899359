"""Reading a page's form as a browser would submit it, for tests that post forms back."""

from html.parser import HTMLParser


class FormFields(HTMLParser):
    """The name/value pairs a browser would submit from the form with the given attribute."""

    def __init__(self, attribute, value):
        super().__init__(convert_charrefs=True)
        self.wanted = (attribute, value)
        self.inside = False
        self.pairs = []
        self.textarea = None
        self.select = None

    def starts_the_form(self, attrs):
        attribute, value = self.wanted
        return value in (attrs.get(attribute) or "").split()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = self.inside or self.starts_the_form(attrs)
            return
        if not self.inside or "__prefix__" in (attrs.get("name") or "__prefix__"):
            if tag == "option" and self.select is not None:
                self.option(attrs)
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.pairs.append((attrs["name"], attrs.get("value", default)))
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
        elif tag == "select":
            self.select = {"name": attrs["name"], "multiple": "multiple" in attrs, "options": []}

    def option(self, attrs):
        self.select["options"].append((attrs.get("value", ""), "selected" in attrs))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # A browser drops the one newline that follows the opening tag.
            self.pairs.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            options = self.select["options"]
            chosen = [value for value, selected in options if selected]
            if not chosen and options and not self.select["multiple"]:
                chosen = [options[0][0]]
            self.pairs.extend((self.select["name"], value) for value in chosen)
            self.select = None


def form_data(response, attribute="id", value="solution_form"):
    """The form's fields as a dict for the test client (a list where a name repeats)."""
    assert response.status_code == 200
    parser = FormFields(attribute, value)
    parser.feed(response.content.decode())
    values = {}
    for name, field_value in parser.pairs:
        values.setdefault(name, []).append(field_value)
    data = {name: found[0] if len(found) == 1 else found for name, found in values.items()}
    assert data, f"no form with {attribute}={value!r} on the page"
    return data
