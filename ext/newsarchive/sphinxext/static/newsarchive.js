// A thumbnail that fails to load is removed, so the site's initial shows instead of a
// broken-image icon. Images that failed before this script ran are caught too.
(function () {
  "use strict";
  function dropBroken(img) {
    var frame = img.parentElement;
    if (frame) frame.classList.add("wkn-thumb-missing");
    img.remove();
  }
  function watch(img) {
    if (img.complete && img.naturalWidth === 0 && img.getAttribute("src")) {
      dropBroken(img);
    } else {
      img.addEventListener("error", function () { dropBroken(img); }, { once: true });
    }
  }
  function init() {
    document.querySelectorAll(".wkn-card-thumb img").forEach(watch);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
