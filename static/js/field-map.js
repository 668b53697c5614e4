// Draws every .muhim-field-map on the page with Leaflet from the GeoJSON at its data-url.
// No tile server is needed (data-tiles adds one). Two styles:
//
// data-style="route": a caravan's itinerary. Point features (properties: sequence, date,
//   label, held, url) become numbered markers, filled when the stop was held and hollow
//   while planned; the LineString feature with properties.kind "route" is drawn as the line
//   joining them in stop order.
// data-style="counts": figures per area. Features (Polygon/MultiPolygon or Point) carry
//   properties {label, value, url, detail}: polygons are shaded by value relative to the
//   largest value, points drawn as circles sized by value.
//
// Popups are built from text nodes: labels come from what people typed and are never read as
// HTML. After drawing, data-markers, data-lines (and for counts data-features and
// data-polygons) say what was drawn, for people reading the page and for the browser tests;
// data-order lists the markers' stop numbers in drawing order. A "muhim:route-changed" event
// (sent by the server through HTMX's HX-Trigger when the itinerary changes) redraws the maps.
(function () {
  "use strict";
  var GREEN = "#1b5e20";

  function text(tag, content, className) {
    var node = document.createElement(tag);
    node.textContent = content;
    if (className) { node.className = className; }
    return node;
  }

  function popup(element, props, lines) {
    var box = document.createElement("div");
    box.appendChild(text("strong", props.label || ""));
    lines.forEach(function (line) {
      if (line !== null && line !== undefined && line !== "") { box.appendChild(text("div", String(line))); }
    });
    if (props.url) {
      var link = text("a", element.dataset.linkText || props.label || props.url);
      link.href = props.url;
      box.appendChild(link);
    }
    return box;
  }

  function stopIcon(props) {
    var badge = text("span", String(props.sequence), "field-stop" + (props.held ? " field-stop--held" : ""));
    return L.divIcon({ html: badge, className: "field-stop-icon", iconSize: [26, 26], iconAnchor: [13, 13] });
  }

  function drawRoute(element, map, collection) {
    var features = collection.features || [];
    var group = L.featureGroup();
    var markers = 0, lines = 0, order = [];
    features.forEach(function (feature) {
      var geometry = feature.geometry, props = feature.properties || {};
      if (!geometry) { return; }
      if (geometry.type === "LineString") {
        var path = geometry.coordinates.map(function (c) { return [c[1], c[0]]; });
        L.polyline(path, { color: GREEN, weight: 3, opacity: 0.8, dashArray: "6 6" }).addTo(group);
        lines++;
      }
    });
    features.forEach(function (feature) {
      var geometry = feature.geometry, props = feature.properties || {};
      if (!geometry || geometry.type !== "Point") { return; }
      var c = geometry.coordinates;
      var marker = L.marker([c[1], c[0]], {
        icon: stopIcon(props),
        title: props.label || "",
        alt: props.label || "",
        keyboard: true,
        zIndexOffset: props.held ? 100 : 0
      });
      var state = props.held ? element.dataset.heldText || "Held" : element.dataset.plannedText || "Planned";
      marker.bindPopup(popup(element, props, [props.date, state]));
      marker.addTo(group);
      markers++;
      order.push(props.sequence);
    });
    group.addTo(map);
    element.dataset.markers = String(markers);
    element.dataset.lines = String(lines);
    element.dataset.order = order.join(",");
    return group;
  }

  function shade(share) {
    // From a pale to the campaign's green, by the share of the largest value.
    var pale = [232, 245, 233], deep = [27, 94, 32];
    var rgb = pale.map(function (p, i) { return Math.round(p + (deep[i] - p) * share); });
    return "rgb(" + rgb.join(",") + ")";
  }

  function drawCounts(element, map, collection) {
    var features = (collection.features || []).filter(function (f) { return f.geometry; });
    var largest = 0;
    features.forEach(function (f) {
      var value = Number((f.properties || {}).value) || 0;
      if (value > largest) { largest = value; }
    });
    var polygons = 0, markers = 0;
    var layer = L.geoJSON({ type: "FeatureCollection", features: features }, {
      style: function (feature) {
        var value = Number(feature.properties.value) || 0;
        var share = largest ? value / largest : 0;
        return { color: "#37474f", weight: 0.8, fillColor: shade(share), fillOpacity: value ? 0.8 : 0.15 };
      },
      pointToLayer: function (feature, latlng) {
        var value = Number(feature.properties.value) || 0;
        var share = largest ? value / largest : 0;
        // Areas of the circles, not their radii, follow the values.
        return L.circleMarker(latlng, {
          radius: value ? 4 + 14 * Math.sqrt(share) : 3,
          color: GREEN, weight: 1, fillColor: value ? "#43a047" : "#cfd8dc", fillOpacity: 0.75
        });
      },
      onEachFeature: function (feature, item) {
        var props = feature.properties || {};
        item.bindPopup(popup(element, props, [props.detail]));
        // A string would be read as HTML by Leaflet: the tooltip gets a text node too.
        if (props.label) { item.bindTooltip(text("span", String(props.label)), { sticky: true }); }
        if (feature.geometry.type === "Point") { markers++; } else { polygons++; }
      }
    }).addTo(map);
    element.dataset.features = String(features.length);
    element.dataset.polygons = String(polygons);
    element.dataset.markers = String(markers);
    element.dataset.lines = "0";
    return layer;
  }

  function draw(element) {
    if (!element.clientHeight) { element.style.height = "360px"; } // a page without field.css
    var map = L.map(element, { zoomSnap: 0.25 });
    map.setView([30.4, 69.3], 5);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { attribution: element.dataset.tilesAttribution || "" }).addTo(map);
    } else {
      element.classList.add("muhim-field-map--plain");
    }
    var layer = null;
    // data-backdrop: areas (e.g. the provinces) drawn as thin outlines under the figures, so
    // a route without map tiles still shows where in the country it runs. In a pane of its
    // own below the figures, whichever of the two arrives first.
    if (element.dataset.backdrop) {
      map.createPane("backdrop").style.zIndex = 350;
      fetch(element.dataset.backdrop, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (collection) {
          if (!collection) { return; }
          L.geoJSON(collection, {
            pane: "backdrop",
            interactive: false,
            style: function () { return { color: "#90a4ae", weight: 0.8, fillColor: "#eceff1", fillOpacity: 0.5 }; },
            pointToLayer: function () { return null; }
          }).addTo(map);
          element.dataset.backdropDrawn = "true";
        })
        .catch(function () { /* outlines are a help, not the figures: the map works without */ });
    }

    function load() {
      element.classList.remove("muhim-field-map--ready");
      return fetch(element.dataset.url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (collection) {
          var fallback = element.querySelector(".map-fallback");
          if (fallback) { fallback.remove(); }
          if (layer) { map.removeLayer(layer); }
          layer = element.dataset.style === "counts"
            ? drawCounts(element, map, collection)
            : drawRoute(element, map, collection);
          var bounds = layer.getBounds();
          if (bounds.isValid()) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 9 }); }
          element.classList.add("muhim-field-map--ready");
        })
        .catch(function () {
          element.classList.add("muhim-field-map--failed");
          var note = text("p", element.dataset.errorText || "The map could not be loaded.", "small text-danger p-2");
          element.appendChild(note);
        });
    }

    load();
    document.addEventListener("muhim:route-changed", load);
  }

  if (typeof L === "undefined") { return; } // Leaflet did not load: the page lists the stops
  document.querySelectorAll(".muhim-field-map").forEach(draw);
})();
