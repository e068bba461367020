var iwm = (function () {
  "use strict";
  var stackOrder = [];
  // The words the page writes itself, in the report's language (init's opts.texts).
  var texts = {ewc: "EWC", waste: "Waste", unit: "t/yr", fate: "Fate"};
  // The open legend never covers more than this share of the map's area (it scrolls inside).
  var LEGEND_SHARE = 0.2;
  // On a map narrower than this (px) the legend starts closed, showing its title only.
  var WIDE_MAP = 800;
  var legendBox = null;
  function node(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function add(parent, child) { parent.appendChild(child); return child; }
  function init(map, opts) {
    if (opts.texts) { texts = opts.texts; }
    if (map.zoomControl && texts.zoomIn) {  // the buttons' titles, in the report's language
      map.removeControl(map.zoomControl);
      map.zoomControl = L.control.zoom({zoomInTitle: texts.zoomIn, zoomOutTitle: texts.zoomOut}).addTo(map);
    }
    // Leaflet's own prefix carries an English title: the name alone says it
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    (opts.attributions || []).forEach(function (a) { map.attributionControl.addAttribution(a); });
    L.control.scale({imperial: false, position: "bottomleft", maxWidth: 150}).addTo(map);
    if (opts.note) {
      var Note = L.Control.extend({
        options: {position: "bottomleft"},
        onAdd: function () { return node("div", "iwm-note", opts.note); }
      });
      new Note().addTo(map);
    }
    map.on("overlayadd", restack);
  }
  function restack() {
    stackOrder.forEach(function (layer) { if (layer._map) { layer.bringToFront(); } });
  }
  function stack(map, layers) { stackOrder = layers; restack(); }
  function tipNode(lines) {
    var box = node("div", "iwm-tip");
    lines.forEach(function (line, i) { add(box, node("div", i === 0 ? "iwm-tip-title" : "", line)); });
    return box;
  }
  function areaPopup(p) {
    var box = node("div", "iwm-popup");
    add(box, node("div", "iwm-popup-title", p.title));
    p.lines.forEach(function (line) { add(box, node("div", "iwm-popup-meta", line)); });
    if (p.rows && p.rows.length) {
      add(box, node("div", "iwm-popup-head", p.head));
      var table = add(box, node("table", "iwm-streams"));
      var body = add(table, node("tbody"));
      p.rows.forEach(function (r) {
        var tr = add(body, node("tr"));
        add(tr, node("td", "", r[0]));
        add(tr, node("td", "iwm-num", r[1]));
      });
    }
    return box;
  }
  function areaTooltip(feature, layer) {
    var props = feature.properties || {};
    var lines = props.tip || [];
    if (lines.length) { layer.bindTooltip(function () { return tipNode(lines); }, {sticky: true}); }
    if (props.popup) {
      layer.bindPopup(function () { return areaPopup(props.popup); }, {maxWidth: 380, minWidth: 200, maxHeight: 320});
      layer.on("popupopen", function () { layer.closeTooltip(); });  // the pop-up says more
    }
  }
  function streamTable(d, rows, more) {
    var table = node("table", "iwm-streams");
    var head = add(add(table, node("thead")), node("tr"));
    [texts.ewc, texts.waste, d.unit, texts.fate].forEach(function (h) { add(head, node("th", "", h)); });
    var body = add(table, node("tbody"));
    rows.forEach(function (s) {
      var tr = add(body, node("tr"));
      var desc = d.descs[s[0]];
      add(tr, node("td", "iwm-code", desc[0]));
      add(tr, node("td", "", desc[1]));
      add(tr, node("td", "iwm-num", s[1]));
      add(tr, node("td", "", d.fates[s[2]]));
    });
    var box = node("div");
    add(box, table);
    if (more > 0) { add(box, node("div", "iwm-more", d.moreTexts[String(more)])); }
    return box;
  }
  var layerData = {};
  function fill(template, values) {
    var out = template;
    Object.keys(values).forEach(function (k) { out = out.split("{" + k + "}").join(values[k]); });
    return out;
  }
  function sitePopup(d, b, i) {
    var j = d.ref ? d.ref[i] : i;
    var box = node("div", "iwm-popup");
    add(box, node("div", "iwm-popup-title", b.name[j]));
    add(box, node("div", "iwm-popup-meta", b.id[j] + " \u00b7 " + b.places[b.place[j]]));
    add(box, node("div", "iwm-popup-meta", b.sectors[b.sector[j]]));
    add(box, node("div", "iwm-popup-total", fill(d.template, {t: d.t[i], share: d.share[i]})));
    if (d.streams[i].length) {
      add(box, node("div", "iwm-popup-head", d.streamsTitle));
      add(box, streamTable(d, d.streams[i], d.more[i]));
    }
    return box;
  }
  function detail(map, group, layers, minZoom) {
    var inner = L.featureGroup(layers);
    if (!minZoom) { group.addLayer(inner); return; }
    function sync() {
      var show = map.getZoom() >= minZoom;
      if (show && !group.hasLayer(inner)) { group.addLayer(inner); restack(); }
      if (!show && group.hasLayer(inner)) { group.removeLayer(inner); }
    }
    map.on("zoomend", sync);
    sync();
  }
  function sites(map, group, d) {
    layerData[d.kind] = d;
    var b = d.base ? layerData[d.base] : d;  // names, ids and places live in the base layer
    var layers = [];
    var popup = function (layer) { return sitePopup(d, b, layer.options.iwmIndex); };
    var tip = function (layer) {
      var i = layer.options.iwmIndex;
      return tipNode([b.name[d.ref ? d.ref[i] : i]]);
    };
    for (var i = 0; i < d.r.length; i++) {
      var j = d.ref ? d.ref[i] : i;
      var m = L.circleMarker([b.lat[j], b.lon[j]], {
        radius: d.r[i], color: d.ring ? d.colours[d.c[i]] : d.edge, weight: d.ring ? 2.2 : 0.7,
        opacity: 0.95, fill: !d.ring, fillColor: d.colours[d.c[i]], fillOpacity: 0.8,
        iwmKind: d.kind, iwmIndex: i
      });
      m.bindPopup(popup, {maxWidth: 380, minWidth: 220, maxHeight: 320});
      m.bindTooltip(tip, {direction: "top", offset: [0, -4]});
      layers.push(m);
    }
    detail(map, group, layers, d.minZoom);
  }
  function facilityPopup(d, i) {
    var box = node("div", "iwm-popup");
    add(box, node("div", "iwm-popup-title", d.name[i]));
    add(box, node("div", "iwm-popup-meta", d.id[i] + " \u00b7 " + d.types[d.type[i]] + " \u00b7 " + d.places[d.place[i]]));
    d.facts[i].forEach(function (f) { add(box, node("div", "iwm-popup-meta", f)); });
    add(box, node("div", "iwm-popup-head", d.acceptsTitle));
    var list = add(box, node("ul", "iwm-accepts"));
    d.accepts[i].forEach(function (a) { add(list, node("li", "", a)); });
    if (d.moreAccepts[i] > 0) { add(box, node("div", "iwm-more", d.moreTexts[String(d.moreAccepts[i])])); }
    return box;
  }
  function facilities(map, group, d) {
    var popup = function (layer) { return facilityPopup(d, layer.options.iwmIndex); };
    var tip = function (layer) { return tipNode([d.name[layer.options.iwmIndex], d.types[d.type[layer.options.iwmIndex]]]); };
    for (var i = 0; i < d.name.length; i++) {
      var icon = L.divIcon({className: "iwm-facility iwm-ft-" + d.type[i], iconSize: [13, 13], html: ""});
      var m = L.marker([d.lat[i], d.lon[i]], {icon: icon, keyboard: false, iwmKind: "facility", iwmIndex: i});
      m.bindPopup(popup, {maxWidth: 380, minWidth: 220, maxHeight: 320});
      m.bindTooltip(tip, {direction: "top", offset: [0, -8]});
      group.addLayer(m);
    }
  }
  function towns(map, group, d) {
    for (var i = 0; i < d.name.length; i++) {
      var m = L.circleMarker([d.lat[i], d.lon[i]], {
        radius: 2.2, color: "#333", weight: 1, fill: true, fillColor: "#fff", fillOpacity: 1,
        interactive: false, iwmKind: "town"
      });
      if (d.label[i]) {
        m.bindTooltip(node("span", "", d.name[i]), {permanent: true, direction: "right", offset: [3, 0], className: "iwm-town"});
      }
      group.addLayer(m);
    }
  }
  function swatch(item) {
    var s = node("span", "iwm-swatch iwm-swatch-" + item.shape);
    var size = item.size || 12;
    s.style.width = size + "px";
    s.style.height = size + "px";
    if (item.shape === "ring") { s.style.borderColor = item.colour; }
    else { s.style.backgroundColor = item.colour; }
    if (item.edge) { s.style.borderColor = item.edge; }
    return s;
  }
  // The legend is a disclosure box: its title (the summary) always shows; open, its body
  // scrolls inside a height that keeps the box under LEGEND_SHARE of the map's area and clear
  // of the layer list above it. fitLegend returns whether its first section (the shading of
  // the map) shows whole so: the legend opens at start only then, and only on a map at least
  // WIDE_MAP wide (closed on a small map).
  function fitLegend(map) {
    var box = legendBox;
    if (!box) { return false; }
    var body = box.querySelector(".iwm-legend-body");
    var size = map.getSize();
    if (!size.x || !size.y) { return false; }
    box.style.maxWidth = Math.max(140, Math.min(300, Math.floor(size.x * 0.45))) + "px";
    // closed, the body keeps the height it was given: the legend reopens at its size at once
    if (!box.open) { return false; }
    body.style.maxHeight = "";
    var frame = map.getContainer().getBoundingClientRect();
    var above = map.getContainer().querySelector(".leaflet-top.leaflet-right");
    var top = frame.top + 10;
    if (above && above.getBoundingClientRect().height) { top = above.getBoundingClientRect().bottom + 10; }
    var limit = LEGEND_SHARE * size.x * size.y;
    var rect, chrome, tallest;
    for (var k = 0; k < 4; k++) {
      rect = box.getBoundingClientRect();
      chrome = rect.height - body.getBoundingClientRect().height;
      tallest = Math.floor(Math.min(rect.bottom - top, limit / rect.width)) - 1;
      if (rect.height <= tallest) { break; }
      body.style.maxHeight = Math.max(0, tallest - chrome) + "px";
    }
    var first = body.querySelector(".iwm-legend-section");
    return !!first && chrome + first.getBoundingClientRect().height <= tallest;
  }
  function legend(map, spec) {
    var Legend = L.Control.extend({
      options: {position: "bottomright"},
      onAdd: function () {
        var box = node("details", "iwm-legend");
        add(box, node("summary", "iwm-legend-summary", spec.title));
        var body = add(box, node("div", "iwm-legend-body"));
        spec.sections.forEach(function (sec) {
          var part = add(body, node("div", "iwm-legend-section"));
          add(part, node("div", "iwm-legend-title", sec.title));
          var rows = sec.columns > 1 ? add(part, node("div", "iwm-legend-cols")) : part;
          sec.items.forEach(function (item) {
            var row = add(rows, node("div", "iwm-legend-row"));
            var cell = add(row, node("span", "iwm-legend-symbol"));
            add(cell, swatch(item));
            add(row, node("span", "", item.label));
          });
          if (sec.note) { add(part, node("div", "iwm-legend-note", sec.note)); }
        });
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    legendBox = new Legend().addTo(map).getContainer();
    legendBox.open = true;
    legendBox.open = fitLegend(map) && map.getSize().x >= WIDE_MAP;
    fitLegend(map);
    legendBox.addEventListener("toggle", function () { fitLegend(map); });
    map.on("resize", function () { fitLegend(map); });
  }
  // The opening view: the sites, kept clear of the controls on the right (the layer list and
  // the open legend) and of the zoom buttons.
  function view(map, bounds) {
    var size = map.getSize();
    var right = 0;
    [legendBox && legendBox.open ? legendBox : null,
     map.getContainer().querySelector(".leaflet-control-layers")].forEach(function (c) {
      if (c) { right = Math.max(right, c.getBoundingClientRect().width + 10); }
    });
    if (right > size.x / 2) { right = 0; }  // a narrow map: better the sites under a control than tiny
    map.fitBounds(bounds, {animate: false, paddingTopLeft: [50, 10], paddingBottomRight: [right, 30]});
  }
  return {init: init, stack: stack, view: view, areaTooltip: areaTooltip, sites: sites,
          facilities: facilities, towns: towns, legend: legend, fitLegend: fitLegend};
})();
