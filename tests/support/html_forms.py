"""Reading a form out of a response, as a browser sees it and as it would submit it.

The one place tests read forms from HTML:

- ``read_form(response, id=..., css_class=..., action=..., ...)`` is the single ``<form>``
  on the page whose tag matches, as a ``Form``: its ``method`` and ``action``, its controls
  (``names()``, ``control(name)``, ``controls_named(name)``, ``value(name)``,
  ``checked(name)``, ``options(name)``, ``selected(name)``), the ``datalists`` it holds,
  the visible controls without a label (``unlabelled()``) and ``data()``, the fields a
  browser would send, ready for the test client.
- ``form_data(response, attribute="id", value="solution_form")`` is
  ``read_form(...).data()`` for a form that must have fields: the admin's solution form
  unless told otherwise.
"""

from html.parser import HTMLParser

# Controls a browser never sends as a field: buttons are sent only when clicked, and files are
# uploaded separately (tests attach them to the data themselves).
NOT_SENT = {"submit", "button", "reset", "image", "file"}
# Controls whose text a person reads without a label.
NEEDS_NO_LABEL = {"hidden", "submit", "button", "reset", "image"}


class Form:
    """One <form>: the attributes of its tag and its controls in page order.

    Each control is a dict of its attributes plus ``tag``, ``type`` (the input type, or
    ``select``/``textarea``/``submit``...), ``in_label`` and, for a select, ``options`` (dicts
    of the option's attributes with ``value`` filled in from the text when missing); a
    textarea's text is its ``value``.
    """

    def __init__(self, attrs):
        self.attrs = attrs
        self.controls = []
        self.datalists = {}
        self.label_targets = set()

    def __repr__(self):
        return f"<Form {self.attrs}>"

    @property
    def method(self):
        return (self.attrs.get("method") or "get").lower()

    @property
    def action(self):
        return self.attrs.get("action")

    def names(self):
        """The names of every control that has one, buttons included."""
        return {control["name"] for control in self.controls if control.get("name")}

    def controls_named(self, name):
        return [control for control in self.controls if control.get("name") == name]

    def control(self, name):
        """The only control with this name."""
        matches = self.controls_named(name)
        assert len(matches) == 1, f"{len(matches)} controls named {name!r}, not one"
        return matches[0]

    def value(self, name):
        """The value of the only control with this name (an input's attribute, a textarea's
        text)."""
        return self.control(name).get("value") or ""

    def checked(self, name):
        """The values of the checked checkboxes or radio buttons with this name."""
        return {
            control.get("value") or "on"
            for control in self.controls_named(name)
            if control["type"] in ("checkbox", "radio") and "checked" in control
        }

    def options(self, name):
        """The option values of the select with this name, in order."""
        return [option["value"] for option in self.control(name)["options"]]

    def selected(self, name):
        """The option values marked selected in the HTML (not the browser's fallback to the
        first option)."""
        return [option["value"] for option in self.control(name)["options"] if "selected" in option]

    def unlabelled(self):
        """Names of the controls a person fills in that have no <label>."""
        return [
            control.get("name")
            for control in self.controls
            if control["type"] not in NEEDS_NO_LABEL
            and not control["in_label"]
            and control.get("id") not in self.label_targets
        ]

    def data(self):
        """What a browser sends when the form is submitted without clicking a named button.

        A dict for the test client, a list where a name repeats. Disabled controls, buttons
        and files are left out, and so are the admin's empty inline templates (names with
        ``__prefix__``), which its JavaScript copies and Django ignores.
        """
        sent = {}
        for control in self.controls:
            name = control.get("name")
            if not name or "__prefix__" in name or "disabled" in control:
                continue
            if control["type"] in NOT_SENT:
                continue
            if control["type"] in ("checkbox", "radio"):
                if "checked" in control:
                    sent.setdefault(name, []).append(control.get("value") or "on")
            elif control["tag"] == "select":
                options = control["options"]
                chosen = [option["value"] for option in options if "selected" in option]
                if not chosen and options and "multiple" not in control:
                    chosen = [options[0]["value"]]
                sent.setdefault(name, []).extend(chosen)
            else:
                sent.setdefault(name, []).append(control.get("value") or "")
        return {name: values[0] if len(values) == 1 else values for name, values in sent.items()}


class _FormsReader(HTMLParser):
    """Every <form> on a page, with the controls, labels and datalists inside it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.form = None
        self.open_labels = 0
        self.select = None
        self.option = None
        self.textarea = None
        self.datalist = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form":
            self.form = Form(attrs)
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        if tag == "label":
            self.open_labels += 1
            if attrs.get("for"):
                self.form.label_targets.add(attrs["for"])
        elif tag in ("input", "select", "textarea", "button"):
            default_type = {"input": "text", "button": "submit"}.get(tag, tag)
            control = {**attrs, "tag": tag, "in_label": self.open_labels > 0}
            control["type"] = (attrs.get("type") or default_type).lower()
            if tag == "select":
                control["options"] = []
                self.select = control
            elif tag == "textarea":
                control["value"] = ""
                self.textarea = control
            self.form.controls.append(control)
        elif tag == "option" and self.select is not None:
            self.option = {**attrs, "text": ""}
            self.select["options"].append(self.option)
        elif tag == "option" and self.datalist is not None:
            self.datalist.append(attrs.get("value"))
        elif tag == "datalist":
            self.datalist = self.form.datalists.setdefault(attrs.get("id"), [])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "option":
            self.end_option()

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["value"] += data
        elif self.option is not None:
            self.option["text"] += data

    def end_option(self):
        if self.option is not None:
            # An option without a value attribute sends its text.
            self.option.setdefault("value", " ".join(self.option["text"].split()))
            self.option = None

    def handle_endtag(self, tag):
        if tag == "form":
            self.end_option()
            self.form, self.select, self.textarea, self.datalist = None, None, None, None
            self.open_labels = 0
        elif tag == "label":
            self.open_labels = max(self.open_labels - 1, 0)
        elif tag == "option":
            self.end_option()
        elif tag == "select":
            self.end_option()
            self.select = None
        elif tag == "datalist":
            self.datalist = None
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops the one newline that directly follows <textarea>.
            self.textarea["value"] = self.textarea["value"].removeprefix("\n")
            self.textarea = None


def forms_on(response):
    """Every form on the page, in page order."""
    reader = _FormsReader()
    reader.feed(response.content.decode())
    reader.close()
    return reader.forms


def read_form(response, **attributes):
    """The one form whose tag has these attributes.

    ``css_class`` matches one of the tag's classes; any other keyword matches the attribute
    exactly: ``read_form(response, id="solution_form")``,
    ``read_form(response, css_class="filters")``, ``read_form(response, action=url)``.
    """
    assert attributes, "say which form: id=..., css_class=..., action=..."

    def matches(form):
        for name, wanted in attributes.items():
            if name == "css_class":
                if wanted not in form.attrs.get("class", "").split():
                    return False
            elif form.attrs.get(name) != wanted:
                return False
        return True

    found = [form for form in forms_on(response) if matches(form)]
    assert len(found) == 1, f"{len(found)} forms with {attributes} on the page, not one"
    return found[0]


def form_data(response, attribute="id", value="solution_form"):
    """The fields a browser would post back from the form, as a dict for the test client."""
    assert response.status_code == 200
    key = "css_class" if attribute == "class" else attribute
    data = read_form(response, **{key: value}).data()
    assert data, f"the form with {attribute}={value!r} has no fields"
    return data
