// Writer check: the warning line in each house style and the evidence
// marked in the text.
"use strict";

(() => {
  const { api, el, mark, spansFromBytes, say, title } = FW;
  const STYLES = ["news", "note", "tags"];
  const PROMINENCE = {
    mention: "mentioned in passing",
    discussion: "discussed",
    detailed: "described in detail",
  };
  const form = document.getElementById("check-form");
  const article = document.getElementById("article");
  const button = document.getElementById("check");
  const results = document.getElementById("results");
  let lines = {};

  const signOut = FW.signIn(() => article.focus());

  article.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = article.value;
    if (!text.trim()) {
      say("Paste or type some text first.", "error");
      article.focus();
      return;
    }
    button.disabled = true;
    button.textContent = "Checking…";
    try {
      // Each style is asked for on its own, so that a server configured
      // without one of them still shows the others.
      const got = await Promise.allSettled(STYLES.map((style) => api("POST", "/v1/warnings", { text, style })));
      lines = {};
      let topics = null;
      got.forEach((g, i) => {
        if (g.status === "fulfilled") {
          lines[STYLES[i]] = g.value.line || "";
          topics = topics || g.value.topics || [];
        } else {
          lines[STYLES[i]] = null;
        }
      });
      if (!topics) {
        const bad = got.find((g) => g.reason && (g.reason.auth || g.reason.status !== 400));
        if (bad) throw bad.reason;
        // No named style is known here: show the server's default line.
        const d = await api("POST", "/v1/warnings", { text });
        lines.default = d.line || "";
        topics = d.topics || [];
      }
      show(text, topics);
    } catch (err) {
      if (err.auth) signOut(err.message);
      else say(err.message, "error");
    } finally {
      button.disabled = false;
      button.textContent = "Check for warnings";
    }
  });

  function show(text, topics) {
    results.hidden = false;
    const none = topics.length === 0;
    document.getElementById("none").hidden = !none;
    document.getElementById("lines").hidden = none;
    document.getElementById("topics-wrap").hidden = none;
    for (const s of ["default", ...STYLES]) {
      const row = document.querySelector('.line-row[data-style="' + s + '"]');
      row.hidden = lines[s] === null || lines[s] === undefined;
      document.getElementById("line-" + s).textContent = lines[s] || "";
    }
    if (none) {
      say("No warning needed for this text.");
      return;
    }
    const list = document.getElementById("topics");
    list.textContent = "";
    const spans = [];
    topics.forEach((t, i) => {
      const name = title(t.name || t.id);
      const prom = PROMINENCE[t.prominence] || t.prominence || "";
      const cls = "t" + (i % 6);
      list.append(el("li", { id: "topic-" + i, class: cls },
        el("span", { class: "swatch", "aria-hidden": "true" }),
        el("strong", { text: name }), " ",
        el("span", { class: "prom", text: prom }),
        el("span", { class: "score", text: "score " + Number(t.score || 0).toFixed(2) }),
        t.paragraph >= 0 ? el("span", { class: "para", text: "first in paragraph " + (t.paragraph + 1) }) : null,
        el("button", { type: "button", class: "link", onclick: () => jump(i) }, "Show"),
      ));
      const tip = name + " · " + (t.prominence || "");
      for (const ev of t.evidence || []) {
        spans.push(...spansFromBytes(text, [{ start: ev.sentence_start, end: ev.sentence_end }], () => ({ kind: "sentence", topic: i, tip })));
        spans.push(...spansFromBytes(text, [ev], () => ({ kind: "word", topic: i, tip })));
      }
    });
    mark(document.getElementById("marked"), text, spans, (piece, cover) => {
      const words = cover.filter((s) => s.kind === "word");
      const topicsOf = (ss) => [...new Set(ss.map((s) => s.topic))];
      if (!words.length) {
        return el("span", { class: "sentence t" + (topicsOf(cover)[0] % 6), text: piece });
      }
      const ids = topicsOf(words);
      return el("mark", {
        class: "t" + (ids[0] % 6),
        tabindex: "0",
        "data-topic": ids.join(" "),
        "data-tip": [...new Set(words.map((s) => s.tip))].join("; "),
        "aria-describedby": ids.map((i) => "topic-" + i).join(" "),
        text: piece,
      });
    });
    say("Warning line ready: " + (lines.news || lines.default || lines.note || lines.tags || ""), "", true);
  }

  function jump(i) {
    const m = document.querySelector('#marked mark[data-topic~="' + i + '"]');
    if (!m) return;
    m.scrollIntoView({ block: "center" });
    m.focus();
  }

  document.querySelectorAll("button[data-copy]").forEach((b) => {
    b.addEventListener("click", async () => {
      const style = b.dataset.copy;
      try {
        await FW.copyText(lines[style] || "");
        b.textContent = "Copied";
        say("Copied the " + style + " line.");
        setTimeout(() => { b.textContent = "Copy"; }, 2000);
      } catch (e) {
        say("Could not copy. Select the line and copy it by hand.", "error");
      }
    });
  });
})();
