/* The maps (templates/includes/_map.html), enhanced: zoom and pan with buttons, the keyboard,
   dragging and ctrl + wheel (or a pinch on a touchpad); a panel with the city under the
   pointer or the focus, its newest solutions and its transfers highlighted; and clusters
   where circles crowd at the current zoom, which zoom in when chosen. Without this file each
   map is a plain SVG of links over the basemap, with the same lists under it.

   Every text comes from the figure's data-* attributes, translated by the template. */
(function () {
  "use strict";

  var WIDTH = 1000;
  var HEIGHT = 447;
  var MIN_WIDTH = 25; // the closest view, in map units across
  var STEP = 1.6; // zoom factor of a button or a key
  var PAN = 0.2; // share of the view moved by an arrow key
  var CLUSTER_PX = 12; // circles whose centres are closer than this on screen are grouped
  var SVG = "http://www.w3.org/2000/svg";

  function svgElement(name, attributes) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) {
      element.setAttribute(key, attributes[key]);
    });
    return element;
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, name) {
      return values[name];
    });
  }

  function enhance(figure) {
    var text = figure.dataset;
    var frame = figure.querySelector(".map-frame");
    var svg = figure.querySelector(".map-svg");
    var base = svg.viewBox.baseVal;
    var initial = { x: base.x, y: base.y, w: base.width, h: base.height };
    var view = Object.assign({}, initial);
    var aspect = WIDTH / HEIGHT;
    var places = Array.prototype.map.call(
      svg.querySelectorAll(".map-point, .map-ring"),
      function (link) {
        var circle = link.querySelector("circle");
        return {
          link: link,
          circle: circle,
          x: parseFloat(circle.getAttribute("cx")),
          y: parseFloat(circle.getAttribute("cy")),
          r: parseFloat(circle.getAttribute("r")),
          ring: link.classList.contains("map-ring"),
          name: link.querySelector("title").textContent,
        };
      }
    );
    var markers = Array.prototype.map.call(svg.querySelectorAll("marker"), function (marker) {
      return { marker: marker, size: parseFloat(marker.getAttribute("markerWidth")) };
    });
    var arcs = svg.querySelectorAll(".map-link");
    var clusters = svgElement("g", { class: "map-clusters" });
    svg.appendChild(clusters);

    // Controls, before the map so they come first in the tab order.
    var controls = document.createElement("div");
    controls.className = "map-controls";
    [
      ["+", text.zoomIn, function () { zoom(STEP); }],
      ["\u2212", text.zoomOut, function () { zoom(1 / STEP); }],
      ["\u21ba", text.showAll, reset],
    ].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      var sign = document.createElement("span");
      sign.setAttribute("aria-hidden", "true");
      sign.textContent = spec[0];
      var label = document.createElement("span");
      label.className = "visually-hidden";
      label.textContent = spec[1];
      button.append(sign, label);
      button.title = spec[1];
      button.addEventListener("click", spec[2]);
      controls.appendChild(button);
    });
    frame.insertBefore(controls, svg);
    var hint = document.createElement("p");
    hint.className = "map-hint";
    hint.textContent = text.hint;
    frame.after(hint);
    var panel = document.createElement("div");
    panel.className = "map-panel";
    panel.hidden = true;
    frame.appendChild(panel);

    // The view.

    function clampView() {
      view.w = Math.min(Math.max(view.w, MIN_WIDTH), WIDTH);
      view.h = view.w / aspect;
      view.x = Math.min(Math.max(view.x, 0), WIDTH - view.w);
      view.y = Math.min(Math.max(view.y, 0), HEIGHT - view.h);
    }

    function apply() {
      clampView();
      svg.setAttribute(
        "viewBox",
        [view.x, view.y, view.w, view.h].map(function (n) { return n.toFixed(2); }).join(" ")
      );
      // Sizes follow the view, so a circle looks the same size at any zoom.
      var k = view.w / initial.w;
      places.forEach(function (place) {
        place.circle.setAttribute("r", (place.r * k).toFixed(3));
      });
      markers.forEach(function (item) {
        item.marker.setAttribute("markerWidth", (item.size * k).toFixed(3));
        item.marker.setAttribute("markerHeight", (item.size * k).toFixed(3));
      });
      cluster();
    }

    function zoom(factor, cx, cy) {
      if (cx === undefined) {
        cx = view.x + view.w / 2;
        cy = view.y + view.h / 2;
      }
      var fx = (cx - view.x) / view.w;
      var fy = (cy - view.y) / view.h;
      view.w = Math.min(Math.max(view.w / factor, MIN_WIDTH), WIDTH);
      view.h = view.w / aspect;
      view.x = cx - fx * view.w;
      view.y = cy - fy * view.h;
      apply();
    }

    function pan(dx, dy) {
      view.x += dx;
      view.y += dy;
      apply();
    }

    function reset() {
      view = Object.assign({}, initial);
      apply();
    }

    function fitTo(members) {
      var xs = members.map(function (m) { return m.x; });
      var ys = members.map(function (m) { return m.y; });
      var left = Math.min.apply(null, xs), right = Math.max.apply(null, xs);
      var top = Math.min.apply(null, ys), bottom = Math.max.apply(null, ys);
      var w = Math.max((right - left) * 3, (bottom - top) * 3 * aspect, MIN_WIDTH);
      view.w = Math.min(w, view.w / STEP);
      view.h = view.w / aspect;
      view.x = (left + right) / 2 - view.w / 2;
      view.y = (top + bottom) / 2 - view.h / 2;
      apply();
    }

    function unitsPerPixel() {
      var width = svg.getBoundingClientRect().width;
      return width ? view.w / width : 0;
    }

    function toMap(event) {
      var rect = svg.getBoundingClientRect();
      return {
        x: view.x + ((event.clientX - rect.left) / rect.width) * view.w,
        y: view.y + ((event.clientY - rect.top) / rect.height) * view.h,
      };
    }

    // Clusters: at this zoom, circles whose centres are closer than CLUSTER_PX are one.

    function cluster() {
      var focused = document.activeElement;
      var refocus = focused && focused.classList && focused.classList.contains("map-cluster");
      clusters.textContent = "";
      var perPixel = unitsPerPixel();
      if (!perPixel) return;
      var groups = [];
      places.forEach(function (place) {
        place.link.classList.remove("is-clustered");
        if (place.ring) return;
        var near = groups.find(function (group) {
          return Math.hypot(group.x - place.x, group.y - place.y) / perPixel < CLUSTER_PX;
        });
        if (near) near.members.push(place);
        else groups.push({ x: place.x, y: place.y, members: [place] });
      });
      groups.forEach(function (group) {
        if (group.members.length < 2) return;
        group.members.forEach(function (member) { member.link.classList.add("is-clustered"); });
        var n = group.members.length;
        var largest = Math.max.apply(
          null,
          group.members.map(function (m) { return parseFloat(m.circle.getAttribute("r")); })
        );
        var radius = Math.max(largest + 2 * perPixel, Math.min(7 + 2.5 * Math.sqrt(n), 16) * perPixel);
        var names = group.members.slice(0, 3).map(function (m) { return m.name; }).join("; ");
        var element = svgElement("g", {
          class: "map-cluster",
          tabindex: "0",
          role: "button",
          "aria-label": fill(text.cluster, { count: n, names: names + (n > 3 ? "; \u2026" : "") }),
        });
        element.appendChild(svgElement("circle", { cx: group.x, cy: group.y, r: radius }));
        var label = svgElement("text", {
          x: group.x,
          y: group.y,
          "font-size": (radius * 1.1).toFixed(3),
          "aria-hidden": "true",
        });
        label.textContent = n;
        element.appendChild(label);
        var open = function () {
          fitTo(group.members);
          var first = group.members[0].link;
          (first.classList.contains("is-clustered")
            ? clusters.querySelector(".map-cluster")
            : first
          ).focus();
        };
        element.addEventListener("click", open);
        element.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            open();
          }
        });
        clusters.appendChild(element);
      });
      if (refocus && !clusters.contains(document.activeElement)) {
        var first = clusters.querySelector(".map-cluster");
        if (first) first.focus();
      }
    }

    // The panel of the current city: its row of the list, and its transfers highlighted.

    var hideTimer = null;

    function show(place) {
      clearTimeout(hideTimer);
      places.forEach(function (p) { p.link.classList.toggle("is-current", p === place); });
      var pk = place.link.dataset.place;
      Array.prototype.forEach.call(arcs, function (arc) {
        arc.classList.toggle("is-related", arc.dataset.from === pk || arc.dataset.to === pk);
      });
      figure.classList.add("has-current");
      panel.textContent = "";
      var heading = document.createElement("h3");
      heading.textContent = place.name;
      panel.appendChild(heading);
      var row = document.getElementById(figure.id + "-city-" + pk);
      if (row) {
        var newest = row.querySelector(".map-newest");
        if (newest && newest.children.length) panel.appendChild(newest.cloneNode(true));
        var all = row.querySelector("td.number a");
        if (all) {
          var more = document.createElement("p");
          var link = document.createElement("a");
          link.href = all.href;
          link.textContent = text.allSolutions;
          more.appendChild(link);
          panel.appendChild(more);
        }
      }
      panel.hidden = false;
    }

    function hideSoon() {
      clearTimeout(hideTimer);
      hideTimer = setTimeout(hide, 400);
    }

    function hide() {
      panel.hidden = true;
      figure.classList.remove("has-current");
      places.forEach(function (p) { p.link.classList.remove("is-current"); });
    }

    places.forEach(function (place) {
      place.link.addEventListener("pointerenter", function () { show(place); });
      place.link.addEventListener("focus", function () { show(place); });
      place.link.addEventListener("pointerleave", hideSoon);
      place.link.addEventListener("blur", hideSoon);
    });
    panel.addEventListener("pointerenter", function () { clearTimeout(hideTimer); });
    panel.addEventListener("pointerleave", hideSoon);

    // Keyboard: arrows move, + and - zoom, 0 shows all, Escape closes the panel.

    figure.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var moves = {
        ArrowLeft: [-PAN, 0],
        ArrowRight: [PAN, 0],
        ArrowUp: [0, -PAN],
        ArrowDown: [0, PAN],
      };
      if (moves[event.key]) {
        pan(moves[event.key][0] * view.w, moves[event.key][1] * view.h);
      } else if (event.key === "+" || event.key === "=") {
        zoom(STEP);
      } else if (event.key === "-" || event.key === "_") {
        zoom(1 / STEP);
      } else if (event.key === "0") {
        reset();
      } else if (event.key === "Escape") {
        hide();
      } else {
        return;
      }
      event.preventDefault();
    });

    // Dragging moves the map; a drag that started on a city does not follow its link.

    var drag = null;
    var dragged = false;
    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      drag = { x: event.clientX, y: event.clientY, id: event.pointerId, moved: false };
      dragged = false;
    });
    svg.addEventListener("pointermove", function (event) {
      if (!drag || event.pointerId !== drag.id) return;
      var dx = event.clientX - drag.x;
      var dy = event.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 4) return;
      if (!drag.moved) {
        drag.moved = true;
        svg.setPointerCapture(event.pointerId);
        svg.classList.add("is-dragging");
      }
      var perPixel = unitsPerPixel();
      drag.x = event.clientX;
      drag.y = event.clientY;
      pan(-dx * perPixel, -dy * perPixel);
    });
    function endDrag() {
      if (drag && drag.moved) dragged = true;
      drag = null;
      svg.classList.remove("is-dragging");
    }
    svg.addEventListener("pointerup", endDrag);
    svg.addEventListener("pointercancel", endDrag);
    svg.addEventListener(
      "click",
      function (event) {
        if (dragged) {
          event.preventDefault();
          event.stopPropagation();
          dragged = false;
        }
      },
      true
    );
    svg.addEventListener(
      "wheel",
      function (event) {
        if (!event.ctrlKey && !event.metaKey) return; // a plain wheel scrolls the page
        event.preventDefault();
        var at = toMap(event);
        zoom(event.deltaY < 0 ? 1.25 : 1 / 1.25, at.x, at.y);
      },
      { passive: false }
    );

    if (window.ResizeObserver) {
      new ResizeObserver(function () { cluster(); }).observe(svg);
    }
    figure.classList.add("is-enhanced");
    apply();
  }

  function start() {
    document.querySelectorAll("[data-map]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
