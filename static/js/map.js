// Draws every .muhim-map on the page with Leaflet from the GeoJSON at its data-url:
// polygons where boundaries were imported, a marker per area where not. No tile server is
// needed; data-tiles adds one if the deployment has it.
(function () {
  "use strict";
  var urdu = document.documentElement.lang === "ur";
  var palette = ["#2e7d32", "#1565c0", "#6a1b9a", "#ef6c00", "#00838f", "#ad1457", "#558b2f", "#4527a0"];

  function label(props) {
    return (urdu && props.name_ur) ? props.name_ur : props.name;
  }

  function colour(props, index) {
    var key = props.parent || props.code || String(index);
    var sum = 0;
    for (var i = 0; i < key.length; i++) { sum = (sum * 31 + key.charCodeAt(i)) >>> 0; }
    return palette[sum % palette.length];
  }

  function draw(element) {
    var fallback = element.querySelector(".map-fallback");
    var map = L.map(element, { zoomSnap: 0.25, attributionControl: true });
    map.setView([30.4, 69.3], 5);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { attribution: element.dataset.tilesAttribution || "" }).addTo(map);
    } else {
      element.classList.add("muhim-map--plain");
    }
    var highlight = element.dataset.highlight;
    var prefix = element.dataset.linkPrefix || "";
    fetch(element.dataset.url, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (collection) {
        if (fallback) { fallback.remove(); }
        var index = 0;
        var layer = L.geoJSON(collection, {
          style: function (feature) {
            var props = feature.properties;
            var on = highlight && props.code === highlight;
            return {
              color: on ? "#b71c1c" : "#37474f",
              weight: on ? 2.5 : 0.8,
              fillColor: colour(props, index++),
              fillOpacity: on ? 0.55 : 0.3
            };
          },
          pointToLayer: function (feature, latlng) {
            var on = highlight && feature.properties.code === highlight;
            return L.circleMarker(latlng, {
              radius: on ? 9 : 6, color: "#1b5e20", weight: 1,
              fillColor: on ? "#b71c1c" : "#43a047", fillOpacity: 0.85
            });
          },
          onEachFeature: function (feature, item) {
            var props = feature.properties;
            var link = document.createElement("a");
            link.href = prefix + "/areas/" + encodeURIComponent(props.code) + "/";
            link.textContent = label(props);
            item.bindPopup(link);
            item.bindTooltip(label(props), { sticky: true });
            item.feature = feature;
          }
        }).addTo(map);
        // What was drawn, for people reading the page source and for the browser tests.
        var polygons = 0, markers = 0;
        layer.eachLayer(function (item) {
          if (item instanceof L.Polygon) { polygons++; } else { markers++; }
        });
        element.dataset.polygons = String(polygons);
        element.dataset.markers = String(markers);
        var bounds = layer.getBounds();
        if (highlight) {
          layer.eachLayer(function (item) {
            if (item.feature && item.feature.properties.code === highlight) {
              bounds = item.getBounds ? item.getBounds() : L.latLngBounds([item.getLatLng()]);
              if (item.bringToFront) { item.bringToFront(); }
            }
          });
        }
        if (bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12], maxZoom: 9 }); }
        element.classList.add("muhim-map--ready");
      })
      .catch(function () {
        element.classList.add("muhim-map--failed");
        var note = document.createElement("p");
        note.className = "small text-danger p-2";
        note.textContent = element.dataset.errorText || "The map could not be loaded.";
        element.appendChild(note);
      });
  }

  document.querySelectorAll(".muhim-map").forEach(draw);
})();
