// The case-study form, enhanced: the "Needed for review" checklist follows what is typed, and
// the error summary is focused when the page loads (where the autofocus attribute is not
// honoured). Without JavaScript the checklist shows what the last save held.
(function () {
  "use strict";

  var form = document.querySelector("form.submission");
  var checklist = document.querySelector("[data-checklist]");

  function filled(name) {
    var fields = form.querySelectorAll('[name="' + name + '"]');
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.type === "checkbox" ? field.checked : field.value.trim() !== "") {
        return true;
      }
    }
    return false;
  }

  function update() {
    var items = checklist.querySelectorAll("li[data-field]");
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      var done = filled(item.getAttribute("data-field"));
      var status = item.querySelector("[data-done]");
      item.classList.toggle("done", done);
      status.textContent = status.getAttribute(done ? "data-done" : "data-todo");
    }
  }

  if (form && checklist) {
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }

  // A link to a closed section (the table of contents, the error summary) opens it.
  function openSectionOf(element) {
    var section = element && element.closest("details");
    if (section) {
      section.open = true;
    }
  }
  function openTargetSection() {
    if (location.hash.length > 1) {
      openSectionOf(document.getElementById(decodeURIComponent(location.hash.slice(1))));
    }
  }
  window.addEventListener("hashchange", openTargetSection);
  openTargetSection();
  // Open it on the click itself too, before the browser scrolls to it: "hashchange" comes
  // later, and not at all when the link's target is already the page's hash.
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".form-toc a[href^='#']");
    if (link) {
      openSectionOf(document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1))));
    }
  });

  var summary = document.getElementById("error-summary");
  if (summary) {
    if (document.activeElement !== summary) {
      summary.focus();
    }
    // A link in the summary puts the cursor in its field, with the field's label in view.
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!target) {
        return;
      }
      event.preventDefault();
      openSectionOf(target);
      var field = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
      var place = target.closest(".field") || target;
      place.scrollIntoView();
      (field || target).focus({ preventScroll: true });
      history.replaceState(null, "", link.getAttribute("href"));
    });
  }
})();
