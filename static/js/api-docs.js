/* /api/: the schema in Swagger UI (drf-spectacular-sidecar's copy, served from this site).
   Read-only: "Try it out" calls the API from this page, which the CSP's connect-src allows. */
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  if (!element || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  // Swagger UI draws its operations in a <main> of its own: inside the page's <main> it is a
  // region, named as its heading says, so the page keeps one main landmark.
  // And what it draws lacks a few names: each parameter's select is named after its parameter,
  // and each scrolling example can take the focus, so a keyboard can scroll it.
  function mend() {
    element.querySelectorAll("main, [role=main]").forEach(function (inner) {
      inner.setAttribute("role", "region");
      inner.setAttribute("aria-label", element.getAttribute("data-operations-label"));
    });
    element.querySelectorAll("tr[data-param-name] select:not([aria-label])").forEach(function (select) {
      select.setAttribute("aria-label", select.closest("tr").getAttribute("data-param-name"));
    });
    element.querySelectorAll(".highlight-code > .microlight:not([tabindex])").forEach(function (code) {
      code.setAttribute("tabindex", "0");
    });
  }
  new MutationObserver(mend).observe(element, { childList: true, subtree: true });

  window.SwaggerUIBundle({
    url: element.getAttribute("data-schema-url"),
    domNode: element,
    deepLinking: false,
    defaultModelsExpandDepth: 0,
    docExpansion: "list",
    supportedSubmitMethods: ["get", "head"],
    // Its colours for JSON fall below the contrast text needs: plain text instead.
    syntaxHighlight: { activated: false },
    validatorUrl: null,
  });
})();
