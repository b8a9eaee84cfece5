/* Applies the theme the reader chose (stored by the toggle) before the page paints.
   Loaded synchronously in <head>; no inline script is allowed by the CSP. */
(function () {
  try {
    var t = localStorage.getItem("highsignal-theme");
    if (t === "dark" || t === "light") document.documentElement.setAttribute("data-theme", t);
  } catch (e) { /* storage blocked: follow the system */ }
})();
