// Moderator queue: comments from people who may be at risk come first, with
// their own actions (reached out, escalated, resolved); then held comments
// with their post, scores, reasons and evidence, to approve or reject with
// a note; keyboard shortcuts; polls so that new comments arrive without a
// reload.
"use strict";

(() => {
  const { api, el, mark, spansFromBytes, say, title } = FW;
  const POLL_MS = 5000;
  const $ = (id) => document.getElementById(id);
  const list = $("queue");
  const filter = $("filter");
  const posts = new Map(); // post id -> Promise of the post or null
  let timer = null;
  let current = null; // the selected comment id
  let loaded = false;
  // Declared before signIn runs: signIn calls refresh at once when the tab
  // already holds a key.
  let inFlight = false;

  const signOut = FW.signIn(() => { refresh(); schedule(); });

  filter.addEventListener("change", () => { list.textContent = ""; current = null; refresh(); });
  $("refresh").addEventListener("click", () => refresh(true));
  document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });

  function schedule() {
    clearInterval(timer);
    timer = setInterval(() => { if (!document.hidden) refresh(); }, POLL_MS);
  }

  // fetchQueue asks for each status separately so the page works whether
  // or not the API treats a missing status as "both".
  async function fetchQueue() {
    const statuses = filter.value ? [filter.value] : ["held", "support"];
    const got = await Promise.all(statuses.map((s) => api("GET", "/v1/queue?status=" + s + "&limit=100")));
    const all = [];
    for (const g of got) all.push(...(Array.isArray(g) ? g : (g && (g.comments || g.items)) || []));
    all.sort(byUrgency);
    return all;
  }

  // byUrgency puts support items (a person who may be at risk) before held
  // ones, oldest first within each.
  function byUrgency(a, b) {
    const sa = a.status === "support" ? 0 : 1, sb = b.status === "support" ? 0 : 1;
    return sa - sb || String(a.created_at).localeCompare(String(b.created_at));
  }
  async function refresh(byHand) {
    if (inFlight || !FW.key()) return;
    inFlight = true;
    try {
      const items = await fetchQueue();
      const added = reconcile(items);
      $("updated").textContent = "Updated " + new Date().toLocaleTimeString();
      if (byHand) say(items.length + " waiting.");
      else if (loaded && added) say(added + (added === 1 ? " new comment" : " new comments") + " in the queue.");
      loaded = true;
    } catch (err) {
      if (err.auth) { clearInterval(timer); signOut(err.message); }
      else say(err.message, "error");
    } finally {
      inFlight = false;
    }
  }

  // reconcile adds new items and drops decided ones without touching the
  // rest, so that a poll never eats a half-written note or moves focus.
  function reconcile(items) {
    const want = new Set(items.map((c) => c.id));
    for (const li of [...list.children]) {
      if (!want.has(li.dataset.id)) removeItem(li, false);
    }
    let added = 0;
    let prev = null;
    for (const c of items) {
      let li = list.querySelector('li[data-id="' + CSS.escape(c.id) + '"]');
      if (!li) {
        li = render(c);
        added++;
        if (prev) prev.after(li); else list.prepend(li);
      }
      prev = li;
    }
    $("empty").hidden = list.children.length > 0;
    if (!current && list.firstElementChild) select(list.firstElementChild, false);
    return added;
  }

  // fill draws a score bar; the width goes through the CSSOM because the
  // page's content security policy forbids inline style attributes.
  function fill(v) {
    const f = el("span");
    f.style.width = Math.round(Math.max(0, Math.min(1, v)) * 100) + "%";
    return f;
  }

  function render(c) {
    const status = c.status || (c.decision === "support" ? "support" : "held");
    const spans = spansFromBytes(c.text || "", c.evidence);
    const body = el("blockquote", { class: "marked small" });
    mark(body, c.text || "", spans, (piece, cover) => el("mark", {
      class: "hurt",
      title: [...new Set(cover.map((s) => title(s.label)).filter(Boolean))].join(", "),
      text: piece,
    }));
    const scores = Object.entries(c.scores || {}).filter(([, v]) => v >= 0.05).sort((a, b) => b[1] - a[1]).slice(0, 5);
    const noteId = "note-" + c.id;
    const li = el("li", { class: "item " + status, "data-id": c.id, tabindex: "-1", "aria-labelledby": "h-" + c.id },
      el("div", { class: "item-head" },
        el("span", { class: "chip " + status, text: status === "support" ? "Support" : "Held" }),
        el("h2", { id: "h-" + c.id, class: "item-title" }, "Comment by ", el("strong", { text: c.author || "anonymous" })),
        el("span", { class: "help", text: c.created_at ? new Date(c.created_at).toLocaleString() : "" }),
      ),
      status === "support" ? el("p", { class: "support-note", text: "This person may be at risk. They were shown the support text; reach out, escalate or resolve, and record what you did." }) : null,
      el("p", { class: "post-ref" }, "On post ", el("code", { text: c.post || "" }), el("span", { class: "post-line" })),
      body,
      el("div", { class: "facts" },
        scores.length ? el("ul", { class: "scores", "aria-label": "Scores" }, ...scores.map(([k, v]) =>
          el("li", {}, el("span", { text: title(k) }),
            el("span", { class: "bar", "aria-hidden": "true" }, fill(v)),
            el("span", { class: "num", text: v.toFixed(2) })))) : null,
        c.reasons && c.reasons.length ? el("ul", { class: "reasons", "aria-label": "Reasons" }, ...c.reasons.map((r) => el("li", { text: r }))) : null,
      ),
      el("div", { class: "decide" },
        el("label", { for: noteId, text: "Note (optional)" }),
        el("input", { id: noteId, type: "text", class: "note", maxlength: "500", autocomplete: "off" }),
        status === "support" ? el("div", { class: "actions support-actions" },
          el("button", { type: "button", class: "reached-out", onclick: () => decide(li, "reached-out") }, "Reached out"),
          el("button", { type: "button", class: "escalated", onclick: () => decide(li, "escalated") }, "Escalated"),
          el("button", { type: "button", class: "resolved", onclick: () => decide(li, "resolved") }, "Resolved"),
          el("button", { type: "button", class: "approve secondary", title: "Not a person at risk: publish the comment", onclick: () => decide(li, "approve") }, "Publish"),
        ) : el("div", { class: "actions" },
          el("button", { type: "button", class: "approve", onclick: () => decide(li, "approve") }, "Approve"),
          el("button", { type: "button", class: "reject", onclick: () => decide(li, "reject") }, "Reject"),
        ),
        status === "support" ? el("p", { class: "support-log help", "aria-live": "polite" }) : null,
      ),
    );
    if (status === "support") supportTrail(li);
    li.addEventListener("focusin", () => select(li, false));
    li.addEventListener("click", () => select(li, false));
    if (c.post) postLine(c.post).then((p) => {
      if (p && p.line) li.querySelector(".post-line").textContent = " · " + p.line;
    });
    return li;
  }

  // supportTrail shows what the team already did for a commenter at risk,
  // from the comment's audit trail, so that it survives a reload and is
  // the same for every moderator.
  function supportTrail(li) {
    api("GET", "/v1/comments/" + encodeURIComponent(li.dataset.id) + "/audit").then((a) => {
      const done = ((a && a.entries) || []).filter((e) => e.action !== "approve" && e.action !== "reject" && DONE[e.action]);
      li.querySelector(".support-log").textContent = done.map((e) =>
        DONE[e.action] + " " + new Date(e.at).toLocaleString() + (e.note ? ": " + e.note : "")).join(" · ");
    }).catch(() => {});
  }

  // postLine fetches a post's warning line once; the queue works without it
  // when the API does not offer GET /v1/posts/{id}.
  function postLine(id) {
    if (!posts.has(id)) {
      posts.set(id, api("GET", "/v1/posts/" + encodeURIComponent(id)).catch(() => null));
    }
    return posts.get(id);
  }

  function select(li, focus) {
    if (!li) return;
    for (const x of list.querySelectorAll(".item.selected")) if (x !== li) x.classList.remove("selected");
    li.classList.add("selected");
    current = li.dataset.id;
    if (focus) {
      li.focus();
      li.scrollIntoView({ block: "nearest" });
    }
  }

  function selected() {
    return current ? list.querySelector('li[data-id="' + CSS.escape(current) + '"]') : null;
  }

  function removeItem(li, moveFocus) {
    const next = li.nextElementSibling || li.previousElementSibling;
    const wasCurrent = li.dataset.id === current;
    li.remove();
    if (wasCurrent) {
      current = null;
      if (next) select(next, moveFocus);
      else if (moveFocus) $("main").focus();
    }
    $("empty").hidden = list.children.length > 0;
  }

  // DONE says what each action did, for the status line.
  const DONE = { approve: "Approved", reject: "Rejected", "reached-out": "Reached out", escalated: "Escalated", resolved: "Resolved" };

  async function decide(li, action) {
    const note = li.querySelector(".note").value.trim();
    const who = li.querySelector(".item-title strong").textContent;
    for (const b of li.querySelectorAll("button")) b.disabled = true;
    try {
      const c = await api("POST", "/v1/comments/" + encodeURIComponent(li.dataset.id) + "/decision", note ? { action, note } : { action });
      if (c && c.status === "support") {
        // Reached out or escalated: the case stays open, first in the queue.
        for (const b of li.querySelectorAll("button")) b.disabled = false;
        li.querySelector(".note").value = "";
        supportTrail(li);
        say(DONE[action] + " for the comment by " + who + ".");
        return;
      }
      removeItem(li, true);
      say(DONE[action] + " the comment by " + who + ".");
    } catch (err) {
      if (err.status === 409 || err.status === 404) {
        removeItem(li, true);
        say("Someone else already decided the comment by " + who + ".");
        return;
      }
      for (const b of li.querySelectorAll("button")) b.disabled = false;
      if (err.auth) signOut(err.message);
      else say(err.message, "error");
    }
  }

  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || $("app").hidden) return;
    const t = e.target;
    if (t.closest && t.closest("input, textarea, select")) {
      if (e.key === "Escape") { const li = t.closest(".item"); if (li) select(li, true); }
      return;
    }
    const li = selected();
    switch (e.key) {
      case "j": select(li ? li.nextElementSibling : list.firstElementChild, true); break;
      case "k": select(li ? li.previousElementSibling : list.firstElementChild, true); break;
      case "a": if (li && !li.classList.contains("support")) decide(li, "approve"); break;
      case "r": if (li && !li.classList.contains("support")) decide(li, "reject"); break;
      case "o": if (li && li.classList.contains("support")) decide(li, "reached-out"); break;
      case "e": if (li && li.classList.contains("support")) decide(li, "escalated"); break;
      case "d": if (li && li.classList.contains("support")) decide(li, "resolved"); break;
      case "n": if (li) { e.preventDefault(); li.querySelector(".note").focus(); } break;
      default: return;
    }
  });
})();
