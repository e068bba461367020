var iwm = (function () {
  "use strict";
  var stackOrder = [];
  function node(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function add(parent, child) { parent.appendChild(child); return child; }
  function init(map, opts) {
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
  function view(map, bounds) { map.fitBounds(bounds, {animate: false}); }
  function tipNode(lines) {
    var box = node("div", "iwm-tip");
    lines.forEach(function (line, i) { add(box, node("div", i === 0 ? "iwm-tip-title" : "", line)); });
    return box;
  }
  function areaTooltip(feature, layer) {
    var lines = (feature.properties && feature.properties.tip) || [];
    if (lines.length) { layer.bindTooltip(function () { return tipNode(lines); }, {sticky: true}); }
  }
  function streamTable(d, rows, more) {
    var table = node("table", "iwm-streams");
    var head = add(add(table, node("thead")), node("tr"));
    ["EWC", "Waste", d.unit, "Fate"].forEach(function (h) { add(head, node("th", "", h)); });
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
    if (more > 0) { add(box, node("div", "iwm-more", "and " + more + " smaller stream" + (more > 1 ? "s" : ""))); }
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
    if (d.moreAccepts[i] > 0) { add(box, node("div", "iwm-more", "and " + d.moreAccepts[i] + " more")); }
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
  function legend(map, spec) {
    var Legend = L.Control.extend({
      options: {position: "bottomright"},
      onAdd: function () {
        var box = node("details", "iwm-legend");
        box.open = true;
        add(box, node("summary", "", spec.title));
        spec.sections.forEach(function (sec) {
          var part = add(box, node("div", "iwm-legend-section"));
          add(part, node("div", "iwm-legend-title", sec.title));
          sec.items.forEach(function (item) {
            var row = add(part, node("div", "iwm-legend-row"));
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
    new Legend().addTo(map);
  }
  return {init: init, stack: stack, view: view, areaTooltip: areaTooltip, sites: sites,
          facilities: facilities, towns: towns, legend: legend};
})();
