
(function () {
  var P = "$prefix";
  var root = document.getElementById(P);
  var data = JSON.parse(document.getElementById(P + "-data").textContent);
  var byId = function (id) { return document.getElementById(P + id); };
  var groups = data.groups.map(byId), slots = data.slots.map(function (_, i) { return byId("s" + i); });
  var g0 = groups.map(function (el) { return el.getAttribute("class"); });
  var s0 = slots.map(function (el) { return [el.textContent, el.getAttribute("class")]; });
  var title = root.querySelector(".gs-title"), text = root.querySelector(".gs-text");
  var slider = root.querySelector("input[type=range]"), counter = root.querySelector(".gs-counter");
  var play = root.querySelector(".gs-play"), n = data.frames.length, cur = 0, timer = null;
  function apply(k) {
    var f = data.frames[k];
    f.g.forEach(function (d) { groups[d[0]].setAttribute("class", data.classes[d[1]]); });
    f.s.forEach(function (d) {
      slots[d[0]].textContent = data.strings[d[1]];
      slots[d[0]].setAttribute("class", data.classes[d[2]]);
    });
  }
  function reset() {
    groups.forEach(function (el, i) { el.setAttribute("class", g0[i]); });
    slots.forEach(function (el, i) { el.textContent = s0[i][0]; el.setAttribute("class", s0[i][1]); });
  }
  function show(k) {
    k = Math.max(0, Math.min(n - 1, k));
    if (k === cur + 1) { apply(k); }
    else if (k !== cur) { reset(); for (var i = 1; i <= k; i++) { apply(i); } }
    cur = k;
    var f = data.frames[k];
    if (marked) { marked.classList.add("gs-found"); }  // a step rewrites classes: keep the search mark
    title.textContent = data.strings[f.t];
    text.textContent = data.strings[f.x];
    slider.value = k;
    counter.textContent = "step " + (k + 1) + " of " + n;
    follow();
  }
  var picture = root.querySelector(".gs-picture"), svg = picture.querySelector("svg");
  var level = root.querySelector(".gs-level"), scaled = root.querySelector(".gs-scaled");
  var box0 = svg && svg.viewBox && svg.viewBox.baseVal;
  var naturalW = box0 && box0.width ? box0.width * 4 / 3 : 0;  // viewBox units are points
  var naturalH = box0 && box0.height ? box0.height * 4 / 3 : 0;
  var zoom = 0;  // 0: fit the column; else the size relative to the natural size
  var style0 = svg ? svg.getAttribute("style") : null;
  function scale() {  // the drawing keeps its aspect ratio inside the element's box
    var r = svg.getBoundingClientRect();
    return naturalW ? Math.min(r.width / naturalW, r.height / naturalH) : 1;
  }
  function fitScale() {
    if (style0 === null) { svg.removeAttribute("style"); } else { svg.setAttribute("style", style0); }
    picture.classList.remove("gs-zoomed");
    return scale();
  }
  function setZoom(z, ax, ay) {  // ax, ay: the client point that stays put (default: the centre)
    if (!naturalW) { return; }
    var box = picture.getBoundingClientRect();
    var px = ax === undefined ? picture.clientWidth / 2 : ax - box.left;
    var py = ay === undefined ? picture.clientHeight / 2 : ay - box.top;
    var cx = (picture.scrollLeft + px) / Math.max(1, picture.scrollWidth);
    var cy = (picture.scrollTop + py) / Math.max(1, picture.scrollHeight);
    var fit = fitScale();
    zoom = z > fit * 1.01 ? Math.min(z, 4) : 0;
    if (zoom) {
      picture.classList.add("gs-zoomed");
      svg.style.width = (naturalW * zoom).toFixed(1) + "px";
      svg.style.height = (naturalH * zoom).toFixed(1) + "px";
      picture.scrollLeft = cx * picture.scrollWidth - px;
      picture.scrollTop = cy * picture.scrollHeight - py;
    }
    showLevel();
  }
  function showLevel() {
    if (!naturalW) { return; }
    var s = scale();
    level.textContent = Math.round(s * 100) + "%";
    scaled.textContent = !zoom && s < 0.99 ? "; scaled to " + Math.round(s * 100) +
      "%: + zooms, drag pans, \u2922 opens full size" : (zoom ? "; drag to pan" : "");
    var pan = picture.scrollWidth > picture.clientWidth + 1 || picture.scrollHeight > picture.clientHeight + 1;
    picture.classList.toggle("gs-pannable", pan);
  }
  function zoomBy(f, ax, ay) { setZoom((zoom || scale()) * f, ax, ay); }
  root.querySelector(".gs-zoom-in").onclick = function () { zoomBy(1.5); };
  root.querySelector(".gs-zoom-out").onclick = function () { zoomBy(1 / 1.5); };
  root.querySelector(".gs-zoom-fit").onclick = function () { setZoom(0); };
  root.querySelector(".gs-open").onclick = function () {
    var w = window.open("", "_blank");
    if (!w) { return; }
    var copy = svg.cloneNode(true);
    copy.removeAttribute("style");
    if (naturalW) { copy.setAttribute("width", naturalW + "px"); copy.setAttribute("height", naturalH + "px"); }
    var d = w.document;
    d.write('<!DOCTYPE html><meta charset="utf-8"><body style="margin:8px;font:15px system-ui,sans-serif">');
    d.close();
    d.title = title.textContent;
    var holder = d.createElement("div"), note = d.createElement("p");
    holder.id = P;  // the player's scoped style sheet (inside the SVG) then applies
    holder.appendChild(d.importNode(copy, true));
    note.textContent = title.textContent + ": " + text.textContent + " (step " + (cur + 1) + " of " + n + ")";
    d.body.appendChild(holder); d.body.appendChild(note);
  };
  picture.addEventListener("dblclick", function () { setZoom(zoom ? 0 : 1); });
  picture.addEventListener("wheel", function (e) {
    if (!(e.ctrlKey || e.metaKey)) { return; }
    e.preventDefault(); zoomBy(e.deltaY < 0 ? 1.25 : 0.8, e.clientX, e.clientY);
  }, {passive: false});
  var drag = null, touches = {}, pinch = null;  // pinch: [distance, zoom] when two fingers went down
  function spread() {
    var p = Object.keys(touches).map(function (id) { return touches[id]; });
    return p.length === 2 ? [Math.hypot(p[0][0] - p[1][0], p[0][1] - p[1][1]),
                             (p[0][0] + p[1][0]) / 2, (p[0][1] + p[1][1]) / 2] : null;
  }
  picture.addEventListener("pointerdown", function (e) {
    if (e.pointerType === "touch") {
      touches[e.pointerId] = [e.clientX, e.clientY];
      var s = spread();
      if (s) { pinch = [s[0], zoom || scale()]; }
      return;
    }
    if (e.button !== 0 || !picture.classList.contains("gs-pannable")) { return; }
    drag = [e.clientX, e.clientY, picture.scrollLeft, picture.scrollTop];
    picture.setPointerCapture(e.pointerId); picture.classList.add("gs-panning");
  });
  picture.addEventListener("pointermove", function (e) {
    if (e.pointerType === "touch" && touches[e.pointerId]) {
      touches[e.pointerId] = [e.clientX, e.clientY];
      var s = spread();
      if (s && pinch && pinch[0] > 0) { setZoom(pinch[1] * s[0] / pinch[0], s[1], s[2]); }
      return;
    }
    if (!drag) { return; }
    picture.scrollLeft = drag[2] - (e.clientX - drag[0]);
    picture.scrollTop = drag[3] - (e.clientY - drag[1]);
  });
  function endDrag(e) {
    if (e && e.pointerType === "touch") { delete touches[e.pointerId]; pinch = null; return; }
    drag = null; picture.classList.remove("gs-panning");
  }
  picture.addEventListener("pointerup", endDrag);
  picture.addEventListener("pointercancel", endDrag);
  if (window.ResizeObserver) { new ResizeObserver(function () { if (!zoom) { showLevel(); } }).observe(picture); }
  function center(el, always) {  // scroll the picture so that el is in view (in its middle)
    var box = picture.getBoundingClientRect(), r = el.getBoundingClientRect();
    var pad = 12;
    if (always || r.left < box.left + pad || r.right > box.right - pad) {
      picture.scrollLeft += (r.left + r.right - box.left - box.right) / 2;
    }
    if (always || r.top < box.top + pad || r.bottom > box.bottom - pad) {
      picture.scrollTop += (r.top + r.bottom - box.top - box.bottom) / 2;
    }
  }
  function follow(always) {  // keep the highlighted node in view when the picture scrolls
    var el = picture.querySelector(".gs-n.gs-main") || picture.querySelector(".gs-n.gs-focus");
    if (el) { center(el, always); }
  }
  // search: a node by its label (u3 finds u₃: both sides are compared in NFKC form)
  var search = root.querySelector(".gs-search"), found = root.querySelector(".gs-found-count");
  var norm = function (t) { return t.normalize("NFKC").replace(/\s+/g, "").toLowerCase(); };
  var names = data.nodes.map(function (d) { return [groups[d[0]], norm(d[1]), d[1]]; });
  var hits = [], hit = -1, query = "";
  var marked = null;
  function mark(el) {
    if (marked) { marked.classList.remove("gs-found"); }
    marked = el;
    if (el) { el.classList.add("gs-found"); }
  }
  function find(text, step) {
    var q = norm(text);
    if (!q) { hits = []; hit = -1; query = ""; mark(null); found.textContent = ""; return; }
    if (q !== query) {
      query = q;
      var exact = names.filter(function (n) { return n[1] === q; });
      var starts = names.filter(function (n) { return n[1] !== q && n[1].indexOf(q) === 0; });
      var inside = names.filter(function (n) { return n[1].indexOf(q) > 0; });
      hits = exact.concat(starts, inside);
      hit = -1;
    }
    if (!hits.length) { mark(null); found.textContent = "no node named " + text.trim(); return; }
    hit = (hit + (step || 1) + hits.length) % hits.length;
    var el = hits[hit][0];
    mark(el);
    if (scale() < 0.75) { setZoom(1); }
    center(el, true);
    found.textContent = hits[hit][2] + (hits.length > 1 ? " (" + (hit + 1) + " of " + hits.length + ")" : "");
  }
  search.addEventListener("keydown", function (e) {
    e.stopPropagation();  // typing is not stepping
    if (e.key === "Enter") { find(search.value, e.shiftKey ? -1 : 1); e.preventDefault(); }
    else if (e.key === "Escape") { search.value = ""; find(""); }
  });
  search.addEventListener("change", function () { if (norm(search.value) !== query) { find(search.value); } });
  search.addEventListener("input", function () { if (!search.value) { find(""); } });
  root.gsFind = find;
  function stop() { if (timer) { clearInterval(timer); timer = null; play.textContent = "\u25B6 play"; } }
  function start() {
    if (cur >= n - 1) { show(0); }
    play.textContent = "\u2016 pause";
    timer = setInterval(function () { if (cur >= n - 1) { stop(); } else { show(cur + 1); } }, $delay);
  }
  root.querySelector(".gs-first").onclick = function () { stop(); show(0); };
  root.querySelector(".gs-prev").onclick = function () { stop(); show(cur - 1); };
  root.querySelector(".gs-next").onclick = function () { stop(); show(cur + 1); };
  root.querySelector(".gs-last").onclick = function () { stop(); show(n - 1); };
  play.onclick = function () { if (timer) { stop(); } else { start(); } };
  slider.oninput = function () { stop(); show(parseInt(slider.value, 10)); };
  root.addEventListener("keydown", function (e) {
    if (e.target === slider && (e.key === "ArrowLeft" || e.key === "ArrowRight")) { return; }
    var keys = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1};
    if (e.key in keys) { stop(); show(cur + keys[e.key]); e.preventDefault(); }
    else if (e.key === "Home") { stop(); show(0); e.preventDefault(); }
    else if (e.key === "End") { stop(); show(n - 1); e.preventDefault(); }
    else if (e.key === " " && e.target.tagName !== "BUTTON") { play.onclick(); e.preventDefault(); }
    else if (e.key === "+" || e.key === "=") { zoomBy(1.5); e.preventDefault(); }
    else if (e.key === "-") { zoomBy(1 / 1.5); e.preventDefault(); }
    else if (e.key === "0") { setZoom(0); e.preventDefault(); }
    else if (e.key === "/" || (e.key === "f" && (e.ctrlKey || e.metaKey) && e.shiftKey)) {
      search.focus(); search.select(); e.preventDefault();
    }
  });
  root.gsShow = function (k) { stop(); show(k); };
  show(parseInt(root.getAttribute("data-start") || "0", 10));
  showLevel();
  if (naturalW && scale() < 0.3) { setZoom(1); follow(true); }  // too small to read: open at full size
})();
