// The map of a place on the resident pages, drawn with Leaflet (vendor/leaflet, from the npm registry, never a CDN).
// An enhancement: without this file the address and the coordinates fields work as before, and the tracking page says
// the position in words. With it, the form's map fills the coordinates where the resident clicks, taps or drags the
// marker (written the page language's way, 59,3793 in Swedish), and the tracking page's map shows the place given.
// Every text and setting comes from data attributes the server wrote (dialog/public/map.html).
(function () {
  "use strict";

  if (typeof L === "undefined") return;

  function parse(text) {
    var value = parseFloat(String(text || "").trim().replace(",", "."));
    return isNaN(value) ? null : value;
  }

  function write(value, separator) {
    return value.toFixed(6).replace(".", separator);
  }

  function icon(box) {
    return L.icon({
      iconUrl: box.dataset.markerIcon,
      iconRetinaUrl: box.dataset.markerIcon2x,
      shadowUrl: box.dataset.markerShadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      shadowSize: [41, 41],
    });
  }

  document.querySelectorAll(".place-map").forEach(function (box) {
    var choose = box.dataset.mode === "choose";
    var form = box.closest("form");
    var latitude = choose && form ? form.querySelector("input[name=latitude]") : null;
    var longitude = choose && form ? form.querySelector("input[name=longitude]") : null;
    if (choose && (!latitude || !longitude)) return;

    box.hidden = false;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", box.dataset.label);
    var center = box.dataset.center.split(",").map(Number);
    var map = L.map(box, { zoomControl: false, scrollWheelZoom: false });
    L.control.zoom({ zoomInTitle: box.dataset.zoomIn, zoomOutTitle: box.dataset.zoomOut }).addTo(map);
    L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
    map.setView(center, Number(box.dataset.zoom));

    var marker = null;
    function place(latlng, pan) {
      if (!marker) {
        marker = L.marker(latlng, {
          icon: icon(box),
          alt: box.dataset.markerLabel,
          title: box.dataset.markerLabel,
          draggable: choose,
          keyboard: choose,
          interactive: choose,
        }).addTo(map);
        if (choose) {
          marker.on("dragend", function () {
            chosen(marker.getLatLng());
          });
        }
      } else {
        marker.setLatLng(latlng);
      }
      if (pan) map.setView(latlng, Math.max(map.getZoom(), 16));
    }

    if (!choose) {
      var shown = (box.dataset.position || "").split(",").map(Number);
      if (shown.length === 2 && !isNaN(shown[0]) && !isNaN(shown[1])) place(shown, true);
      return;
    }

    // The status is said politely where the resident is: after the map, before the coordinates.
    var status = document.createElement("p");
    status.className = "enhance-status";
    status.setAttribute("aria-live", "polite");
    box.insertAdjacentElement("afterend", status);
    var separator = box.dataset.decimal || ",";

    function chosen(latlng) {
      latitude.value = write(latlng.lat, separator);
      longitude.value = write(latlng.lng, separator);
      var details = latitude.closest("details");
      if (details) details.open = true;
      status.textContent = box.dataset.marked
        .replace("{latitude}", latitude.value)
        .replace("{longitude}", longitude.value);
    }

    function typed() {
      var lat = parse(latitude.value);
      var lng = parse(longitude.value);
      if (lat !== null && lng !== null && Math.abs(lat) <= 90 && Math.abs(lng) <= 180) place([lat, lng], true);
    }

    map.on("click", function (event) {
      place(event.latlng, false);
      chosen(event.latlng);
    });
    latitude.addEventListener("change", typed);
    longitude.addEventListener("change", typed);
    typed();
  });
})();
