// Progressive enhancement of the resident pages. Everything works without this file; with it:
// a character counter on long text boxes, "Use my position" on the form, "Copy the link" on the receipt.
// The texts come from data attributes the server translated.
(function () {
  "use strict";

  var lang = document.documentElement.lang || "sv";

  function fill(template, count) {
    return template.replace("{count}", count.toLocaleString(lang));
  }

  function statusLine(after) {
    // A polite live region, in the page before anything is said in it.
    var status = document.createElement("p");
    status.className = "enhance-status";
    status.setAttribute("aria-live", "polite");
    after.insertAdjacentElement("afterend", status);
    return status;
  }

  function button(text, className) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.textContent = text;
    return element;
  }

  // The counter is shown all the time but spoken only when fewer than 500, 100 or 0 characters are left
  // (and when going over): speaking at every key press would drown what the person types.
  var THRESHOLDS = [0, 100, 500];

  function band(left) {
    if (left < 0) return "over";
    for (var i = 0; i < THRESHOLDS.length; i++) {
      if (left <= THRESHOLDS[i]) return String(THRESHOLDS[i]);
    }
    return "plenty";
  }

  document.querySelectorAll("textarea[data-limit]").forEach(function (box) {
    var limit = Number(box.dataset.limit);
    var counter = document.getElementById(box.dataset.counter);
    var live = document.getElementById(box.dataset.live);
    if (!counter || !live) return;
    var spoken = band(limit - box.value.length);

    function say(left) {
      return left >= 0 ? fill(box.dataset.remaining, left) : fill(box.dataset.over, -left);
    }

    function update() {
      var left = limit - box.value.length;
      counter.textContent = say(left);
      counter.classList.toggle("counter-over", left < 0);
      var now = band(left);
      if (now !== spoken) {
        spoken = now;
        live.textContent = now === "plenty" ? "" : say(left);
      }
    }

    counter.hidden = false;
    box.setAttribute("aria-describedby", (box.getAttribute("aria-describedby") + " " + counter.id).trim());
    update();
    box.addEventListener("input", update);
  });

  document.querySelectorAll("details[data-locate]").forEach(function (details) {
    if (!("geolocation" in navigator)) return;
    var latitude = details.querySelector("input[name=latitude]");
    var longitude = details.querySelector("input[name=longitude]");
    if (!latitude || !longitude) return;
    var locate = button(details.dataset.locate, "button button-secondary locate");
    details.insertAdjacentElement("beforebegin", locate);
    var status = statusLine(locate);

    locate.addEventListener("click", function () {
      status.textContent = details.dataset.locating;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          // Written as the page's language writes numbers (59,379300 in Swedish); the form reads both.
          var separator = details.dataset.decimal || ".";
          latitude.value = position.coords.latitude.toFixed(6).replace(".", separator);
          longitude.value = position.coords.longitude.toFixed(6).replace(".", separator);
          details.open = true;
          status.textContent = details.dataset.located;
        },
        function () {
          status.textContent = details.dataset.locateFailed;
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  });

  document.querySelectorAll("[data-copy]").forEach(function (holder) {
    if (!navigator.clipboard) return;
    var copy = button(holder.dataset.copyLabel, "button button-secondary copy");
    holder.insertAdjacentElement("afterend", copy);
    var status = statusLine(copy);

    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(holder.dataset.copy).then(function () {
        status.textContent = "";
        window.setTimeout(function () {
          status.textContent = holder.dataset.copied;
        }, 100);
      });
    });
  });
})();
