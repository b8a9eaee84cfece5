/* highsignal web UI: theme toggle, keyboard shortcuts, in-place rating, audio seek, filter auto-submit.
   Every page works without this file; it only makes the common actions one key or one click. */
(function () {
  "use strict";

  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var THEMES = ["auto", "light", "dark"];

  // -- theme -------------------------------------------------------------------
  function currentTheme() {
    try { return localStorage.getItem("highsignal-theme") || "auto"; } catch (e) { return "auto"; }
  }
  function applyTheme(t) {
    if (t === "auto") document.documentElement.removeAttribute("data-theme");
    else document.documentElement.setAttribute("data-theme", t);
    var b = document.getElementById("theme-toggle");
    if (b) {
      b.textContent = t === "dark" ? "☾" : t === "light" ? "☀" : "◐";
      b.title = "Colour theme: " + (t === "auto" ? "automatic" : t) + " (click to change)";
      b.setAttribute("aria-label", b.title);
    }
  }
  function cycleTheme() {
    var next = THEMES[(THEMES.indexOf(currentTheme()) + 1) % THEMES.length];
    try {
      if (next === "auto") localStorage.removeItem("highsignal-theme");
      else localStorage.setItem("highsignal-theme", next);
    } catch (e) { /* not stored: applies to this page only */ }
    applyTheme(next);
  }

  // -- toast -------------------------------------------------------------------
  var toastTimer = null;
  function toast(message, isError) {
    var t = document.getElementById("toast");
    if (!t) return;
    t.textContent = message;
    t.className = "toast" + (isError ? " error" : "");
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { t.hidden = true; }, isError ? 6000 : 3000);
  }

  // -- items and selection -----------------------------------------------------
  function items() { return Array.prototype.slice.call(document.querySelectorAll("[data-item]")); }
  function selected() {
    return document.querySelector("[data-item].selected") ||
      document.querySelector('[data-item][data-selected="true"]');
  }
  function select(el) {
    items().forEach(function (x) { x.classList.remove("selected"); });
    if (!el) return;
    el.classList.add("selected");
    if (el.focus) el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }
  function move(step) {
    var list = items();
    if (!list.length) return;
    var i = list.indexOf(selected());
    i = i < 0 ? (step > 0 ? 0 : list.length - 1) : Math.max(0, Math.min(list.length - 1, i + step));
    select(list[i]);
  }

  // -- actions (rate, mark) as JSON requests -------------------------------------
  function send(form, field, value) {
    var body = {};
    body[field] = value;
    return fetch(form.dataset.api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) throw new Error(data.error || ("request failed: HTTP " + res.status));
        return data;
      });
    });
  }
  function act(form, button) {
    var field = form.dataset.field, value = button.value;
    var card = form.closest("[data-item]");
    button.disabled = true;
    send(form, field, value).then(function (data) {
      if (field === "value") {
        form.querySelectorAll("button[name=value]").forEach(function (b) {
          b.setAttribute("aria-pressed", b.value === value ? "true" : "false");
        });
      } else if (card && card.classList.contains("card")) {
        card.classList.add("done");
      }
      toast(data.message || "Done.");
    }).catch(function (err) {
      toast(err.message, true);
    }).then(function () { button.disabled = false; });
  }
  function actOn(el, field, value) {
    if (!el) { toast("Select an item first (j / k).", true); return; }
    var form = el.querySelector('form.act[data-field="' + field + '"]');
    var button = form && form.querySelector('button[value="' + value + '"]');
    if (button) act(form, button);
  }
  function openOriginal(el) {
    if (!el) return;
    var url = el.dataset.url;
    if (url) window.open(url, "_blank", "noopener,noreferrer");
    else window.location.href = "/items/" + el.dataset.item;
  }

  // -- audio -------------------------------------------------------------------
  function seek(seconds) {
    var player = document.getElementById("player");
    if (!player || isNaN(seconds)) return false;
    player.currentTime = seconds;
    var p = player.play();
    if (p && p.catch) p.catch(function () { /* autoplay refused: the player is still positioned */ });
    player.scrollIntoView({ block: "nearest", behavior: "smooth" });
    return true;
  }

  // -- help --------------------------------------------------------------------
  function toggleHelp() {
    var d = document.getElementById("help");
    if (!d) return;
    if (d.open) d.close(); else d.showModal();
  }

  function typing(target) {
    var tag = (target.tagName || "").toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) return;
    var help = document.getElementById("help");
    if (help && help.open && ev.key !== "?") return;
    switch (ev.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "o": openOriginal(selected()); break;
      case "Enter": {
        var s = selected();
        if (!s || ev.target.closest("a, button, form")) return;
        window.location.href = "/items/" + s.dataset.item;
        break;
      }
      case "u": actOn(selected(), "value", "up"); break;
      case "d": actOn(selected(), "value", "down"); break;
      case "r": actOn(selected(), "state", "read"); break;
      case "?": toggleHelp(); break;
      case "/": {
        var box = document.getElementById("search-q") || document.getElementById("ask-q");
        if (box) box.focus(); else window.location.href = "/search";
        break;
      }
      default: return;
    }
    ev.preventDefault();
  });

  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.matches || !form.matches("form.act") || !window.fetch) return;
    var button = ev.submitter;
    if (!button || !button.value) return;
    ev.preventDefault();
    act(form, button);
  });

  document.addEventListener("click", function (ev) {
    var link = ev.target.closest && ev.target.closest("[data-seek]");
    if (link && seek(parseFloat(link.dataset.seek))) { ev.preventDefault(); return; }
    var card = ev.target.closest && ev.target.closest(".card[data-item]");
    if (card && !ev.target.closest("a, button, input, select, form")) select(card);
  });

  document.addEventListener("change", function (ev) {
    if (ev.target.matches && ev.target.matches("select.js-autosubmit") && ev.target.form) ev.target.form.submit();
  });

  document.addEventListener("DOMContentLoaded", function () {
    applyTheme(currentTheme());
    var tb = document.getElementById("theme-toggle");
    if (tb) tb.addEventListener("click", cycleTheme);
    var hb = document.getElementById("help-open");
    if (hb) hb.addEventListener("click", toggleHelp);
    // A link to an item at a timestamp (?t=seconds, or #t=seconds) positions its audio there.
    var player = document.getElementById("player");
    if (player) {
      var t = parseFloat(player.dataset.start || (location.hash.match(/^#t=(\d+(?:\.\d+)?)/) || [])[1]);
      if (!isNaN(t)) {
        player.addEventListener("loadedmetadata", function once() {
          player.removeEventListener("loadedmetadata", once);
          player.currentTime = t;
        });
        player.preload = "metadata";
        player.load();
      }
    }
  });
})();
