/* A case study's "Cite this case study": buttons that copy the citation and print the page
   (the print stylesheet leaves out the site's navigation). Without JavaScript they stay
   hidden: the citation can be selected and the browser prints the page. */
(function () {
  "use strict";
  var actions = document.querySelector("[data-cite-actions]");
  if (!actions) {
    return;
  }
  actions.hidden = false;
  var copy = actions.querySelector("[data-copy]");
  if (copy && navigator.clipboard) {
    copy.addEventListener("click", function () {
      var text = document.getElementById(copy.getAttribute("data-copy")).textContent.trim();
      navigator.clipboard.writeText(text).then(function () {
        copy.textContent = copy.getAttribute("data-copied");
      });
    });
  } else if (copy) {
    copy.hidden = true;
  }
  actions.querySelector("[data-print]").addEventListener("click", function () {
    window.print();
  });
})();
