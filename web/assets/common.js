// Shared code for forewarn's pages: the API key, API calls, and marking
// byte-offset evidence in text.
"use strict";

const FW = (() => {
  const KEY = "forewarn.key";

  // A key in the address fragment (#key=...) moves to sessionStorage and
  // leaves the address bar, so that the server can print one sign-in link.
  // Fragments are never sent to the server or written to its logs.
  (function takeKeyFromHash() {
    const m = location.hash.match(/(?:^#|&)key=([^&]+)/);
    if (!m) return;
    sessionStorage.setItem(KEY, decodeURIComponent(m[1]));
    history.replaceState(null, "", location.pathname + location.search);
  })();

  function key() { return sessionStorage.getItem(KEY) || ""; }
  function setKey(k) { sessionStorage.setItem(KEY, k.trim()); }
  function clearKey() { sessionStorage.removeItem(KEY); }

  class APIError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
    // auth reports whether signing in again could help.
    get auth() { return this.status === 401 || this.status === 403; }
  }

  // api calls the JSON API on this origin and returns the decoded body.
  async function api(method, path, body, headers) {
    const h = Object.assign({ "Accept": "application/json" }, headers || {});
    if (body !== undefined) h["Content-Type"] = "application/json";
    if (key()) h["Authorization"] = "Bearer " + key();
    let res;
    try {
      res = await fetch(path, {
        method, headers: h, cache: "no-store",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new APIError(0, "network", "Could not reach the server. Is forewarn serve still running?");
    }
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
    if (!res.ok) {
      const err = (data && data.error) || {};
      let msg = err.message || res.statusText || "Request failed";
      if (res.status === 401) msg = "That key was not accepted. Check it and sign in again.";
      if (res.status === 403) msg = "This key may not do that. " + (err.message || "");
      if (res.status === 429) msg = "Too many requests. Wait a moment and try again.";
      throw new APIError(res.status, err.code || "http_" + res.status, msg.trim());
    }
    return data;
  }

  // byteMapper returns a function that turns a byte offset into the UTF-8
  // encoding of s (what the API returns) into an index into the JS string
  // s (UTF-16 code units). An offset inside a character moves to that
  // character's start, or to its end when up is true, so that a span never
  // cuts a character in two. Lone surrogates count as U+FFFD, 3 bytes, as
  // they do once the text has passed through a UTF-8 encoder.
  function byteMapper(s) {
    const bytes = [0], units = [0];
    let b = 0, u = 0;
    for (const ch of s) {
      const cp = ch.codePointAt(0);
      b += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      u += ch.length;
      bytes.push(b);
      units.push(u);
    }
    return (off, up) => {
      if (!(off > 0)) return 0;
      if (off >= b) return u;
      let lo = 0, hi = bytes.length - 1;
      while (lo < hi) { // first i with bytes[i] >= off
        const mid = (lo + hi) >> 1;
        if (bytes[mid] < off) lo = mid + 1; else hi = mid;
      }
      if (bytes[lo] === off || up) return units[lo];
      return units[lo - 1];
    };
  }

  // spansFromBytes converts API evidence to JS-index spans, dropping empty
  // or inverted ones. Each span keeps the rest of the evidence fields.
  function spansFromBytes(text, evidence, extra) {
    const at = byteMapper(text);
    const out = [];
    for (const ev of evidence || []) {
      const start = at(ev.start, false), end = at(ev.end, true);
      if (end > start) out.push(Object.assign({}, ev, extra ? extra(ev) : {}, { start, end }));
    }
    return out;
  }

  // mark fills el with text, wrapping the parts covered by spans. Spans may
  // overlap: the text is cut at every span edge and each piece is wrapped by
  // render(piece, coveringSpans), which returns a node (or null for plain
  // text). Neighbouring pieces covered by the same spans stay together.
  function mark(el, text, spans, render) {
    el.textContent = "";
    const cuts = new Set([0, text.length]);
    for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
    const pts = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
    let run = null;
    const flush = () => {
      if (!run) return;
      const piece = text.slice(run.a, run.b);
      const node = run.cover.length ? render(piece, run.cover) : null;
      el.append(node || document.createTextNode(piece));
      run = null;
    };
    for (let i = 0; i + 1 < pts.length; i++) {
      const a = pts[i], b = pts[i + 1];
      const cover = spans.filter((s) => s.start <= a && s.end >= b);
      const id = cover.map((s) => spans.indexOf(s)).join(",");
      if (run && run.id === id) { run.b = b; continue; }
      flush();
      run = { a, b, cover, id };
    }
    flush();
  }

  // el is a small element builder: el("p", {class: "x"}, "text", child).
  function el(tag, attrs, ...kids) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === false || v === null || v === undefined) continue;
      if (k === "class") n.className = v;
      else if (k === "text") n.textContent = v;
      else if (k.startsWith("on")) n.addEventListener(k.slice(2), v);
      else n.setAttribute(k, v === true ? "" : v);
    }
    for (const k of kids) if (k !== null && k !== undefined && k !== false) n.append(k);
    return n;
  }

  // say announces msg in the page's live region, which also shows it
  // briefly as a toast; the toast lets clicks through and then goes away so
  // that it never hides a button for long. A quiet message is for screen
  // readers only: the page already shows it where it happened.
  let sayTimer = 0;
  function say(msg, kind, quiet) {
    const s = document.getElementById("status");
    if (!s) return;
    clearTimeout(sayTimer);
    s.textContent = "";
    s.className = "status" + (kind ? " " + kind : "") + (quiet ? " visually-hidden" : "");
    // A fresh text node makes screen readers announce a repeated message.
    requestAnimationFrame(() => { s.textContent = msg; });
    sayTimer = setTimeout(() => { s.textContent = ""; }, kind === "error" ? 10000 : 5000);
  }

  // signIn wires the page's sign-in form and key bar. onReady runs once the
  // tab holds a key, now or after the reader signs in.
  function signIn(onReady) {
    const panel = document.getElementById("signin");
    const form = document.getElementById("signin-form");
    const input = document.getElementById("signin-key");
    const err = document.getElementById("signin-error");
    const bar = document.getElementById("keybar");
    const app = document.getElementById("app");
    const show = (message) => {
      panel.hidden = false;
      app.hidden = true;
      err.textContent = message || "";
      err.hidden = !message;
      bar.textContent = "";
      input.focus();
    };
    const ready = () => {
      panel.hidden = true;
      app.hidden = false;
      bar.textContent = "";
      bar.append(
        el("span", { class: "keyname", text: "Signed in" }),
        el("button", { type: "button", class: "link", onclick: () => { clearKey(); show(); } }, "Sign out"),
      );
      onReady();
    };
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (!input.value.trim()) { show("Enter a key."); return; }
      setKey(input.value);
      input.value = "";
      ready();
    });
    if (key()) ready(); else show();
    // Pages call this when the API turns the key down.
    return (message) => { clearKey(); show(message); };
  }

  // copyText puts text on the clipboard, falling back to a selection copy
  // where the Clipboard API is unavailable (plain http on another host).
  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try { await navigator.clipboard.writeText(text); return; } catch (e) { /* fall back */ }
    }
    const ta = el("textarea", { class: "offscreen", readonly: true, "aria-hidden": "true" });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    const ok = document.execCommand("copy");
    ta.remove();
    if (!ok) throw new Error("copy failed");
  }

  // title turns a label id such as "self_harm" into "Self harm".
  function title(s) {
    s = String(s || "").replace(/[_-]+/g, " ").trim();
    return s.charAt(0).toUpperCase() + s.slice(1);
  }

  return { key, setKey, clearKey, api, APIError, byteMapper, spansFromBytes, mark, el, say, signIn, copyText, title };
})();
