// Starts Swagger UI on /api/docs (templates/pages/api_docs.html). A file of its own, not an
// inline script, because the Content-Security-Policy allows scripts from this site only.
"use strict";
(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    layout: "BaseLayout",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    validatorUrl: null // the default asks a validator on the internet for a badge
  });
})();
