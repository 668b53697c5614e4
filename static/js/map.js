// Draws every .muhim-map on the page with Leaflet from the GeoJSON at its data-url:
// polygons where boundaries were imported, a marker per area where not. No tile server is
// needed; data-tiles adds one if the deployment has it.
//
// data-style="coverage" draws the organiser network's map instead: each feature's
// properties.status is "covered" (filled, one colour per post), "vacant" (left uncoloured,
// outline only, like the campaign's own map) or "none" (light grey); popups link to
// properties.find_url, and data-covered / data-vacant / data-none count what was drawn.
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

  // The network map: what each status looks like, as a polygon and as a marker.
  // Posts get the palette's colours in turn, by post code, so neighbouring posts of one
  // province (codes rco-pb-…) rarely share a colour.
  var postColours = {};
  function colourPosts(collection) {
    var codes = [];
    (collection.features || []).forEach(function (feature) {
      var post = feature.properties && feature.properties.post;
      if (post && codes.indexOf(post) < 0) { codes.push(post); }
    });
    codes.sort().forEach(function (code, i) { postColours[code] = palette[i % palette.length]; });
  }

  function coverageStyle(props) {
    if (props.status === "covered") {
      return { color: "#263238", weight: 0.8, fillColor: postColours[props.post] || palette[0], fillOpacity: 0.65 };
    }
    if (props.status === "vacant") {
      return { color: "#37474f", weight: 1.6, dashArray: "4 3", fillColor: "#ffffff", fillOpacity: 0 };
    }
    return { color: "#9e9e9e", weight: 0.6, fillColor: "#cfd8dc", fillOpacity: 0.45 };
  }

  function coverageMarker(props) {
    var style = coverageStyle(props);
    style.radius = props.status === "none" ? 4 : 7;
    if (props.status === "vacant") { style.fillOpacity = 0; style.dashArray = null; style.weight = 2; }
    if (props.status === "covered") { style.fillOpacity = 0.9; style.weight = 1; }
    return style;
  }

  // Built from text nodes: names come from people's profiles and are never read as HTML.
  function coveragePopup(props, element, prefix) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = label(props);
    box.appendChild(title);
    [props.status_label, props.post_title, props.holder].forEach(function (text) {
      if (!text) { return; }
      var line = document.createElement("div");
      line.textContent = text;
      box.appendChild(line);
    });
    var link = document.createElement("a");
    link.href = props.find_url || (prefix + "/network/find/" + encodeURIComponent(props.code) + "/");
    link.textContent = element.dataset.findText || "Find the organiser";
    box.appendChild(link);
    return box;
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
    var coverage = element.dataset.style === "coverage";
    fetch(element.dataset.url, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (collection) {
        if (fallback) { fallback.remove(); }
        if (coverage) { colourPosts(collection); }
        var index = 0;
        var layer = L.geoJSON(collection, {
          style: function (feature) {
            var props = feature.properties;
            // (Leaflet applies this to markers too, over pointToLayer's options.)
            if (coverage) {
              return feature.geometry && feature.geometry.type === "Point" ? coverageMarker(props) : coverageStyle(props);
            }
            var on = highlight && props.code === highlight;
            return {
              color: on ? "#b71c1c" : "#37474f",
              weight: on ? 2.5 : 0.8,
              fillColor: colour(props, index++),
              fillOpacity: on ? 0.55 : 0.3
            };
          },
          pointToLayer: function (feature, latlng) {
            if (coverage) { return L.circleMarker(latlng, coverageMarker(feature.properties)); }
            var on = highlight && feature.properties.code === highlight;
            return L.circleMarker(latlng, {
              radius: on ? 9 : 6, color: "#1b5e20", weight: 1,
              fillColor: on ? "#b71c1c" : "#43a047", fillOpacity: 0.85
            });
          },
          onEachFeature: function (feature, item) {
            var props = feature.properties;
            if (coverage) {
              item.bindPopup(coveragePopup(props, element, prefix));
            } else {
              var link = document.createElement("a");
              link.href = prefix + "/areas/" + encodeURIComponent(props.code) + "/";
              link.textContent = label(props);
              item.bindPopup(link);
            }
            // An element, not a string: Leaflet reads a string tooltip as HTML, and area names
            // are typed by people (organisers correct their region's names).
            var tip = document.createElement("span");
            tip.textContent = label(props) || "";
            item.bindTooltip(tip, { sticky: true });
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
        if (coverage) {
          var counts = { covered: 0, vacant: 0, none: 0 };
          layer.eachLayer(function (item) {
            var status = item.feature && item.feature.properties.status;
            if (status in counts) { counts[status]++; }
          });
          element.dataset.covered = String(counts.covered);
          element.dataset.vacant = String(counts.vacant);
          element.dataset.none = String(counts.none);
        }
        var bounds = layer.getBounds();
        if (highlight) {
          layer.eachLayer(function (item) {
            if (item.feature && item.feature.properties.code === highlight) {
              bounds = item.getBounds ? item.getBounds() : L.latLngBounds([item.getLatLng()]);
              if (item.bringToFront) { item.bringToFront(); }
            }
          });
        }
        // Not animated: "ready" means the map shows its final view. While the map pans (a popup
        // near the edge brings itself into view), the element carries muhim-map--moving.
        if (bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12], maxZoom: 9, animate: false }); }
        map.on("movestart", function () { element.classList.add("muhim-map--moving"); });
        map.on("moveend", function () { element.classList.remove("muhim-map--moving"); });
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
