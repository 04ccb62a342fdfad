// Comment box: a sample post about grief, the nudge before a comment
// posts, support for a commenter at risk, and the decision a comment gets.
"use strict";

(() => {
  const { api, el, mark, spansFromBytes, say, title } = FW;
  const POST_ID = "demo-grief";
  const FALLBACK_NUDGE = "This may hurt someone who is grieving. Edit it, or post anyway?";
  const FALLBACK_SUPPORT = "It sounds like things are very hard right now. Your comment is kept private, and you are not alone.";
  const DECISIONS = {
    publish: ["Published", "Your comment is live under the post."],
    hold: ["Held for review", "Your comment is not public yet: a moderator will read it first."],
    support: ["Kept private", "Your comment is not public. Please read the support below."],
  };

  const $ = (id) => document.getElementById(id);
  const form = $("comment-form");
  const box = $("comment");
  const author = $("author");
  const postButton = $("post");
  const nudge = $("nudge");
  const support = $("support");
  const decision = $("decision");
  const postText = [...document.querySelectorAll("#post-text p")].map((p) => p.textContent.trim()).join("\n\n");
  let draft = null; // {text, key}: the idempotency key follows the draft so a retry never posts twice

  // supportText is the site's own support text from GET /v1/support, the
  // same words the API sends with a support decision; the page names no
  // crisis line of its own.
  let supportText = null;
  const signOut = FW.signIn(() => {
    ensurePost();
    api("GET", "/v1/support").then((s) => { if (s && s.text) supportText = s.text; }).catch(() => {});
  });

  // ensurePost creates the sample post, or fetches its warning line when a
  // previous visit already created it.
  async function ensurePost() {
    let line = "";
    try {
      const p = await api("POST", "/v1/posts", { id: POST_ID, text: postText });
      line = p.line || "";
    } catch (err) {
      if (err.auth) { signOut(err.message); return; }
      if (err.status !== 409) { say(err.message, "error"); return; }
      try {
        line = (await api("POST", "/v1/warnings", { text: postText })).line || "";
      } catch (e) { /* the line is a nicety; the comment box works without it */ }
    }
    const p = $("post-line");
    p.textContent = line;
    p.hidden = !line;
  }

  function idemKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  }

  function busy(on) {
    postButton.disabled = on;
    $("anyway").disabled = on;
    postButton.textContent = on ? "Checking…" : "Post comment";
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = box.value;
    if (!text.trim()) { say("Write a comment first.", "error"); box.focus(); return; }
    hidePanels();
    busy(true);
    try {
      const n = await api("POST", "/v1/nudge", { text, post: POST_ID });
      // A commenter who may be at risk gets support, never a warning about
      // their words: their comment goes to the private queue as they asked.
      if (n.support) {
        showSupport(n.support);
        await submit(text);
        return;
      }
      if (n.nudge) {
        showNudge(text, n);
        return;
      }
      await submit(text);
    } catch (err) {
      fail(err);
    } finally {
      busy(false);
    }
  });

  $("edit").addEventListener("click", () => {
    nudge.hidden = true;
    box.focus();
    say("Editing your comment.");
  });

  $("anyway").addEventListener("click", async () => {
    busy(true);
    try {
      await submit(box.value);
    } catch (err) {
      fail(err);
    } finally {
      busy(false);
    }
  });

  function fail(err) {
    if (err.auth) signOut(err.message);
    else say(err.message, "error");
  }

  function hidePanels() {
    nudge.hidden = true;
    support.hidden = true;
    decision.hidden = true;
  }

  function showNudge(text, n) {
    $("nudge-message").textContent = n.message || FALLBACK_NUDGE;
    const spans = spansFromBytes(text, n.evidence);
    $("nudge-marked-help").hidden = spans.length === 0;
    $("nudge-marked").hidden = spans.length === 0;
    mark($("nudge-marked"), text, spans, (piece, cover) => el("mark", {
      class: "hurt",
      title: [...new Set(cover.map((s) => title(s.label)).filter(Boolean))].join(", "),
      text: piece,
    }));
    nudge.hidden = false;
    nudge.focus();
    say(n.message || FALLBACK_NUDGE, "warn", true);
  }

  function showSupport(textFromPolicy) {
    $("support-text").textContent = typeof textFromPolicy === "string" && textFromPolicy ? textFromPolicy : supportText || FALLBACK_SUPPORT;
    support.hidden = false;
  }

  async function submit(text) {
    if (!draft || draft.text !== text) draft = { text, key: idemKey() };
    const c = await api("POST", "/v1/posts/" + encodeURIComponent(POST_ID) + "/comments",
      { text, author: author.value.trim() || "Guest" }, { "Idempotency-Key": draft.key });
    draft = null;
    nudge.hidden = true;
    if (c.decision === "support") showSupport(c.support);
    showDecision(c);
    addToThread(c, text);
    box.value = "";
  }

  function showDecision(c) {
    const [head, body] = DECISIONS[c.decision] || [title(c.decision), ""];
    decision.textContent = "";
    decision.className = "decision " + c.decision;
    decision.append(
      el("p", {}, el("strong", { text: "Decision: " }), el("span", { class: "chip " + c.decision, "data-decision": c.decision, text: head })),
      el("p", { text: body }),
    );
    // The reasons are for the curious; a commenter at risk gets support, not scores.
    if (c.decision !== "support" && c.reasons && c.reasons.length) {
      decision.append(el("p", { class: "help", text: "Why: " + c.reasons.join("; ") }));
    }
    decision.hidden = false;
    say("Decision: " + head + ". " + body, "", true);
  }

  function addToThread(c, text) {
    $("thread-empty").hidden = true;
    const note = c.decision === "publish" ? null
      : el("span", { class: "chip " + c.decision, text: c.decision === "hold" ? "Waiting for review · only you see this" : "Private · only you see this" });
    $("thread").append(el("li", { class: "comment " + c.decision },
      el("p", { class: "meta" }, el("strong", { text: author.value.trim() || "Guest" }), " ", note),
      el("p", { class: "body", text }),
    ));
  }
})();
